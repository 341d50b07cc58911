import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DefaultDashboardFactory, MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  athenaPipelineWorkgroupName,
  athenaWorkgroupName,
  buildStateMachineName,
  domainAlertTopicName,
  domainDashboardName,
  domainFunctionName,
  type EnvironmentIdentity,
  pipelineStateMachineName,
  validatorFunctionName,
} from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, TREND_RULE_KINDS, VALIDATION_METRICS, observedInPercent, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { freshnessAlarmThresholdSeconds } from '../pipeline/freshness-threshold.ts';
import { modelMetricDimensions, OPERATIONAL_METRICS } from '../pipeline/operational-metrics.ts';
import type { ModelSource } from '../transforms/model.ts';
import { deriveRules } from '../validation/derive-rules.ts';
import { bytesScanned, scanCost } from './athena-scan-metrics.ts';

export interface DomainDashboardProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  readonly datasets: readonly Dataset[];
  /** Whether the domain has a build state machine (it has models). */
  readonly hasBuild: boolean;
  /** The domain's models whose build publishes `ModelTestFailures` (those with error-severity tests). */
  readonly testedModels: readonly Pick<ModelSource, 'id' | 'name'>[];
  /** The environment's Athena price, which turns the workgroups' bytes scanned into cost. */
  readonly athenaUsdPerTerabyteScanned: number;
  /** The environment's `freshnessGraceSeconds`: the last-load line is drawn where the freshness alarm fires. */
  readonly freshnessGraceSeconds: number;
}

/** The period every validation widget sums over. */
const VALIDATION_PERIOD = Duration.minutes(5);
/** Scans and their cost are read per hour: queries are rare enough that five minutes would be mostly empty. */
const SCAN_PERIOD = Duration.hours(1);

/**
 * The domain's CloudWatch dashboard `<org>-<env>-<domain>`. Every resource is found by the name
 * lib/config/names.ts derives, never by a construct of another stack, so the stack holding it
 * needs no export and can be deployed, replaced or removed on its own. cdk-monitoring-constructs
 * draws the services (Lambda, Step Functions, SNS); the validator's EMF metrics, which it
 * cannot know, are custom metric groups.
 */
export class DomainDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DomainDashboardProps) {
    super(scope, id);
    const { identity, domain } = props;
    const stack = Stack.of(this);
    const factory = new DefaultDashboardFactory(this, 'Factory', {
      dashboardNamePrefix: domainDashboardName(identity, domain),
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    const facade = new MonitoringFacade(this, 'Monitoring', { dashboardFactory: factory });

    facade.addLargeHeader(`${domain} in ${identity.environment}`);
    facade
      .monitorLambdaFunction({
        lambdaFunction: lambda.Function.fromFunctionName(this, 'Router', domainFunctionName(identity, domain, 'router')),
        humanReadableName: `${domain} router`,
      })
      .monitorSnsTopic({
        topic: sns.Topic.fromTopicArn(this, 'Alerts', stack.formatArn({ service: 'sns', resource: domainAlertTopicName(identity, domain) })),
        humanReadableName: `${domain} alerts`,
      });
    if (props.hasBuild) {
      facade.monitorStepFunction({
        stateMachine: sfn.StateMachine.fromStateMachineName(this, 'Build', buildStateMachineName(identity, domain)),
        humanReadableName: `${domain} build`,
      });
    }
    facade.monitorCustom({
      alarmFriendlyName: `${domain}-models-and-queries`,
      humanReadableName: `${domain} model tests and Athena`,
      metricGroups: [
        ...(props.testedModels.length === 0 ? [] : [modelTestsGroup(identity, domain, props.testedModels)]),
        ...athenaScanGroups(identity, domain, props.athenaUsdPerTerabyteScanned),
      ],
    });

    props.datasets.forEach((dataset, index) => {
      facade.addLargeHeader(`${dataset.name} (${dataset.contract.version})`);
      facade
        .monitorCustom({
          alarmFriendlyName: `${domain}-${dataset.name}-validation`,
          humanReadableName: `${dataset.name} validation`,
          metricGroups: [...validationMetricGroups(identity, dataset), ...ruleMetricGroups(identity, dataset, props.freshnessGraceSeconds)],
        })
        .monitorLambdaFunction({
          lambdaFunction: lambda.Function.fromFunctionName(this, `Validator${index}`, validatorFunctionName(identity, dataset)),
          humanReadableName: `${dataset.name} validator`,
        })
        .monitorStepFunction({
          stateMachine: sfn.StateMachine.fromStateMachineName(this, `Pipeline${index}`, pipelineStateMachineName(identity, dataset)),
          humanReadableName: `${dataset.name} pipeline`,
        });
    });
    this.dashboard = factory.dashboard!;
  }
}

/** Titles of a domain's own widgets: tests find them by these. */
export function domainWidgetTitles(domain: string): { modelTests: string; bytesScanned: string; scanCost: string } {
  return {
    modelTests: `${domain}: builds with failed error-severity model tests`,
    bytesScanned: `${domain}: bytes scanned by its Athena workgroups`,
    scanCost: `${domain}: Athena cost (USD per hour)`,
  };
}

/** Titles of a dataset's rule and freshness widgets, each drawn only when the contract has what it shows. */
export function ruleWidgetTitles(dataset: Pick<Dataset, 'name'>): { failedRows: string; freshnessLag: string; lastLoad: string; trends: string } {
  return {
    failedRows: `${dataset.name}: failed rows per rule`,
    freshnessLag: `${dataset.name}: newest row age at ingest against the freshness maxAge (seconds)`,
    lastLoad: `${dataset.name}: time since the last load against the freshness alarm (seconds)`,
    trends: `${dataset.name}: missing values and class balance`,
  };
}

/** Titles of a dataset's validation widgets: tests find each dataset's families by them. */
export function validationWidgetTitles(dataset: Pick<Dataset, 'name'>): { files: string; rows: string } {
  return { files: `${dataset.name}: files validated, passed, rejected`, rows: `${dataset.name}: rows loaded, quarantined` };
}

/**
 * The validator's EMF metrics of one dataset (lib/ingest/validation-metrics.ts). Passed files and
 * loaded rows are not emitted: they are what validation did not reject or quarantine.
 */
function validationMetricGroups(identity: EnvironmentIdentity, dataset: Dataset) {
  const dimensionsMap = validationMetricDimensions({ environment: identity.environment, dataset });
  const metric = (metricName: string, label: string) =>
    new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap, statistic: 'Sum', period: VALIDATION_PERIOD, label });
  const validated = metric(VALIDATION_METRICS.filesValidated, 'Validated');
  const rejected = metric(VALIDATION_METRICS.filesFailed, 'Rejected');
  const rowsRead = metric(VALIDATION_METRICS.rowsValidated, 'Rows read');
  const quarantined = metric(VALIDATION_METRICS.rowsQuarantined, 'Quarantined');
  const titles = validationWidgetTitles(dataset);
  return [
    {
      title: titles.files,
      metrics: [
        validated,
        new cloudwatch.MathExpression({ expression: 'validated - rejected', usingMetrics: { validated, rejected }, label: 'Passed', period: VALIDATION_PERIOD }),
        rejected,
      ],
    },
    {
      title: titles.rows,
      metrics: [
        new cloudwatch.MathExpression({ expression: 'read - quarantined', usingMetrics: { read: rowsRead, quarantined }, label: 'Loaded', period: VALIDATION_PERIOD }),
        quarantined,
      ],
    },
  ];
}

/**
 * A dataset's rules as the validator reports them (lib/validation/derive-rules.ts, the same rule ids):
 * the rows each rule failed, one line per rule that judges rows (a table-level rule fails files, not
 * rows); the newest row's age at ingest against the freshness rule's maxAge, which that rule judges;
 * the time since the last load against the freshness alarm's threshold, which the alarm judges; the
 * observed value of its missing-value and class-balance rules, which the validator emits on every file.
 */
function ruleMetricGroups(identity: EnvironmentIdentity, dataset: Dataset, freshnessGraceSeconds: number) {
  const dimensionsMap = validationMetricDimensions({ environment: identity.environment, dataset });
  const metric = (metricName: string, statistic: string, label: string, dimensions: Record<string, string> = {}) =>
    new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...dimensionsMap, ...dimensions }, statistic, period: VALIDATION_PERIOD, label });
  const rules = deriveRules(dataset);
  const titles = ruleWidgetTitles(dataset);
  const groups = [];
  const rowRules = rules.filter((rule) => rule.scope === 'row');
  if (rowRules.length > 0) {
    groups.push({ title: titles.failedRows, metrics: rowRules.map((rule) => metric(VALIDATION_METRICS.ruleFailedRows, 'Sum', rule.id, { Rule: rule.id })) });
  }
  // Only a contract with a freshness SLA has a rule measuring the newest row's age.
  if (dataset.freshness !== undefined) {
    const { maxAge } = dataset.freshness;
    groups.push({
      title: titles.freshnessLag,
      metrics: [metric(VALIDATION_METRICS.freshnessLagSeconds, 'Maximum', 'Newest row age at ingest')],
      horizontalAnnotations: [{ value: maxAge, label: `freshness maxAge: ${maxAge} s` }],
    });
  }
  const alarmThreshold = freshnessAlarmThresholdSeconds(dataset, freshnessGraceSeconds);
  if (alarmThreshold !== undefined) {
    groups.push({
      title: titles.lastLoad,
      metrics: [metric(OPERATIONAL_METRICS.lastLoadAgeSeconds, 'Maximum', 'Since the last load')],
      horizontalAnnotations: [{ value: alarmThreshold, label: `freshness alarm (SLA + grace): ${alarmThreshold} s` }],
    });
  }
  const trendRules = rules.filter((rule) => TREND_RULE_KINDS.includes(rule.kind));
  if (trendRules.length > 0) {
    groups.push({
      title: titles.trends,
      metrics: trendRules.map((rule) => metric(VALIDATION_METRICS.ruleObservedValue, 'Average', `${rule.id} (${observedInPercent(rule) ? '%' : 'rows'})`, { Rule: rule.id })),
    });
  }
  return groups;
}

/** `ModelTestFailures` of each model whose build publishes it: 1 per build in which its error-severity tests failed. */
function modelTestsGroup(identity: EnvironmentIdentity, domain: string, models: readonly Pick<ModelSource, 'id' | 'name'>[]) {
  return {
    title: domainWidgetTitles(domain).modelTests,
    metrics: models.map(
      (model) =>
        new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: OPERATIONAL_METRICS.modelTestFailures,
          dimensionsMap: modelMetricDimensions({ environment: identity.environment, domain, model: model.id }),
          statistic: 'Sum',
          period: VALIDATION_PERIOD,
          label: model.name,
        }),
    ),
  };
}

/** The domain's two workgroups (analysts' and pipeline's): bytes each scanned, and what both cost. Athena is not a service cdk-monitoring-constructs monitors. */
function athenaScanGroups(identity: EnvironmentIdentity, domain: string, usdPerTerabyte: number) {
  const workgroups = [athenaWorkgroupName(identity, domain), athenaPipelineWorkgroupName(identity, domain)];
  const titles = domainWidgetTitles(domain);
  return [
    { title: titles.bytesScanned, metrics: workgroups.map((workgroup) => bytesScanned(workgroup, SCAN_PERIOD)) },
    { title: titles.scanCost, metrics: [scanCost(workgroups, usdPerTerabyte, SCAN_PERIOD)] },
  ];
}
