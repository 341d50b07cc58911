import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  athenaPipelineWorkgroupName,
  athenaWorkgroupName,
  domainHealthAlarmName,
  type EnvironmentIdentity,
  pipelineStateMachineName,
  platformDashboardName,
} from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, VALIDATION_METRICS, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { ALARM_KINDS } from '../pipeline/alarm-kinds.ts';
import { bytesScanned, scanCost } from './athena-scan-metrics.ts';
import { stateMachineArns } from './state-machine-arns.ts';

/** One domain's row of the overview. */
export interface DomainOverview {
  readonly domain: string;
  readonly datasets: readonly Dataset[];
  /** Whether the domain's monitoring stack has its health alarm `<env>-<domain>-health`, whose state the row shows. */
  readonly hasHealthAlarm: boolean;
}

export interface PlatformDashboardProps {
  readonly identity: EnvironmentIdentity;
  readonly domains: readonly DomainOverview[];
  /** The environment's Athena price, which turns each domain's bytes scanned into cost. */
  readonly athenaUsdPerTerabyteScanned: number;
}

/** The overview sums per hour: it answers "which domain needs a look", not "which file". */
const OVERVIEW_PERIOD = Duration.hours(1);
const FULL_WIDTH = 24;
const QUARTER = 6;
const HALF = 12;
const GRAPH_HEIGHT = 6;

/** Titles of a domain's row: tests find the widgets by them. */
export function overviewWidgetTitles(domain: string) {
  return {
    files: `${domain}: files validated, rejected`,
    rows: `${domain}: rows quarantined`,
    pipelineFailures: `${domain}: pipeline failures`,
    health: `${domain}: health`,
    bytesScanned: `${domain}: bytes scanned`,
    scanCost: `${domain}: Athena cost (USD)`,
  };
}

/**
 * `<org>-<env>-platform`: one row per domain with what its own dashboard shows in detail, summed over
 * its datasets. Plain aws-cdk-lib widgets: cdk-monitoring-constructs draws one resource's service
 * metrics, not sums across a domain, an alarm's state or Athena. The validator's metrics are summed
 * with SEARCH on the Domain dimension they carry, so the row's size does not grow with the domain;
 * pipeline failures are summed over each dataset's state machine, named as names.ts derives it.
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const { identity } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: platformDashboardName(identity) });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Lakehouse ${identity.organization} ${identity.environment}\nOne row per domain; its own dashboard \`${identity.organization}-${identity.environment}-<domain>\` has the detail.`,
        width: FULL_WIDTH,
        height: 2,
      }),
    );
    for (const overview of props.domains) this.addDomain(identity, overview, props.athenaUsdPerTerabyteScanned);
  }

  private addDomain(identity: EnvironmentIdentity, overview: DomainOverview, usdPerTerabyte: number): void {
    const { domain, datasets } = overview;
    const titles = overviewWidgetTitles(domain);
    const graph = (title: string, metrics: cloudwatch.IMetric[], width: number) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width, height: GRAPH_HEIGHT, period: OVERVIEW_PERIOD });
    const row: cloudwatch.IWidget[] = [];
    if (datasets.length > 0) {
      const validation = (metricName: string, label: string) =>
        new cloudwatch.MathExpression({ expression: `SUM(${validationSearch(identity, domain, metricName)})`, usingMetrics: {}, label, period: OVERVIEW_PERIOD });
      row.push(
        graph(titles.files, [validation(VALIDATION_METRICS.filesValidated, 'Validated'), validation(VALIDATION_METRICS.filesFailed, 'Rejected')], QUARTER),
        graph(titles.rows, [validation(VALIDATION_METRICS.rowsQuarantined, 'Quarantined')], QUARTER),
        graph(titles.pipelineFailures, [pipelineFailures(this, identity, domain, datasets)], QUARTER),
      );
    }
    if (overview.hasHealthAlarm) {
      const alarm = cloudwatch.CompositeAlarm.fromCompositeAlarmName(this, `${domain}Health`, domainHealthAlarmName(identity, domain));
      row.push(new cloudwatch.AlarmStatusWidget({ title: titles.health, alarms: [alarm], width: QUARTER, height: GRAPH_HEIGHT }));
    }
    const workgroups = [athenaWorkgroupName(identity, domain), athenaPipelineWorkgroupName(identity, domain)];
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${domain}${datasets.length === 0 ? ' (no datasets)' : ''}`, width: FULL_WIDTH, height: 1 }));
    if (row.length > 0) this.dashboard.addWidgets(...row);
    this.dashboard.addWidgets(
      graph(titles.bytesScanned, workgroups.map((workgroup) => bytesScanned(workgroup, OVERVIEW_PERIOD)), HALF),
      graph(titles.scanCost, [scanCost(workgroups, usdPerTerabyte, OVERVIEW_PERIOD)], HALF),
    );
  }
}

/**
 * Every per-file series of the metric for the domain's datasets: the schema names exactly the
 * dimensions the validator emits per file (per-rule series, which add `Rule`, stay out), and the
 * quoted values match exactly.
 */
function validationSearch(identity: EnvironmentIdentity, domain: string, metricName: string): string {
  const dimensions = validationMetricDimensions({ environment: identity.environment, dataset: { domain, name: '' } });
  const filters = Object.entries(dimensions)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}="${value}"`)
    .join(' ');
  return `SEARCH('{${METRICS_NAMESPACE},${Object.keys(dimensions).join(',')}} MetricName="${metricName}" ${filters}', 'Sum', ${OVERVIEW_PERIOD.toSeconds()})`;
}

/** The domain's pipelines' failed executions, summed: each state machine by the ARN its name gives. */
function pipelineFailures(scope: Construct, identity: EnvironmentIdentity, domain: string, datasets: readonly Dataset[]): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    datasets.map((dataset, index) => [
      `p${index}`,
      new cloudwatch.Metric({
        namespace: ALARM_KINDS.pipelineFailed.metric.namespace,
        metricName: ALARM_KINDS.pipelineFailed.metric.name,
        dimensionsMap: { StateMachineArn: stateMachineArns(scope, pipelineStateMachineName(identity, dataset)).stateMachine },
        statistic: 'Sum',
        period: OVERVIEW_PERIOD,
      }),
    ]),
  );
  return new cloudwatch.MathExpression({ expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`, usingMetrics, label: `Failed executions (${domain})`, period: OVERVIEW_PERIOD });
}
