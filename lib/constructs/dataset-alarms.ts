import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { datasetAlarmName, type EnvironmentIdentity, pipelineStateMachineName, validatorFunctionName } from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, VALIDATION_METRICS, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { ALARM_KINDS, type AlarmKind, alarmDescription, warningRuleSuffix } from '../pipeline/alarm-kinds.ts';
import { freshnessAlarmThresholdSeconds, freshnessThresholdSeconds } from '../pipeline/freshness-threshold.ts';
import { deriveRules } from '../validation/derive-rules.ts';
import { stateMachineArns } from './state-machine-arns.ts';

/**
 * The kinds of a dataset's error-level alarms: its data is missing or wrong. The domain's health
 * alarm watches exactly these, by name.
 */
export const ERROR_ALARMS = {
  pipelineFailed: ALARM_KINDS.pipelineFailed.suffix,
  pipelineTimedOut: ALARM_KINDS.pipelineTimedOut.suffix,
  validatorErrors: ALARM_KINDS.validatorErrors.suffix,
  filesRejected: ALARM_KINDS.filesRejected.suffix,
  rowsQuarantined: ALARM_KINDS.rowsQuarantined.suffix,
  freshness: ALARM_KINDS.freshness.suffix,
} as const;

/** A contract without a frequency or freshness SLA promises no load by any time: nothing to breach. */
function hasFreshnessSla(dataset: Dataset): boolean {
  return freshnessThresholdSeconds(dataset) !== undefined;
}

/** Only this disposition quarantines rows of a file that otherwise loads. */
function quarantinesRows(dataset: Dataset): boolean {
  return dataset.onViolation === 'quarantine-rows';
}

/** The names of the error-level alarms `DatasetAlarms` gives the dataset. */
export function errorAlarmNames(identity: Pick<EnvironmentIdentity, 'environment'>, dataset: Dataset): string[] {
  const kinds = Object.values(ERROR_ALARMS).filter(
    (kind) => (kind !== ERROR_ALARMS.rowsQuarantined || quarantinesRows(dataset)) && (kind !== ERROR_ALARMS.freshness || hasFreshnessSla(dataset)),
  );
  return kinds.map((kind) => datasetAlarmName(identity, dataset, kind));
}

export interface DatasetAlarmsProps {
  readonly identity: EnvironmentIdentity;
  readonly dataset: Dataset;
  readonly settings: AlarmSettings;
  /** The domain's alert topic: every alarm notifies it. */
  readonly alertTopic: sns.ITopic;
}

/**
 * A dataset's alarms, on metrics found by physical name (its pipeline, its validator, the
 * validator's EMF metrics in `ContractLakehouse`). Every period without data is a period in which
 * nothing ran or nothing failed: not breaching.
 */
export class DatasetAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DatasetAlarmsProps) {
    super(scope, id);
    const { identity, dataset, settings } = props;
    const period = Duration.seconds(settings.periodSeconds);
    const pipelineArn = stateMachineArns(this, pipelineStateMachineName(identity, dataset)).stateMachine;
    const stepFunctions = (metricName: string) =>
      new cloudwatch.Metric({ namespace: ALARM_KINDS.pipelineFailed.metric.namespace, metricName, dimensionsMap: { StateMachineArn: pipelineArn }, statistic: 'Sum', period });
    const validationDimensions = validationMetricDimensions({ environment: identity.environment, dataset });
    const validation = (metricName: string, statistic: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...validationDimensions, ...dimensions }, statistic, period });
    const subject = { name: `${dataset.domain}/${dataset.name}` };
    const alarm = (kind: AlarmKind, metric: cloudwatch.IMetric, threshold: number, rule?: string) => {
      const what = rule === undefined ? kind.suffix : warningRuleSuffix(rule);
      const created = new cloudwatch.Alarm(this, what, {
        alarmName: datasetAlarmName(identity, dataset, what),
        alarmDescription: alarmDescription(kind, { ...subject, rule }, what),
        metric,
        threshold,
        evaluationPeriods: settings.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.alertTopic));
    };

    alarm(
      ALARM_KINDS.pipelineFailed,
      stepFunctions(ALARM_KINDS.pipelineFailed.metric.name),
      settings.pipelineFailures,
    );
    alarm(
      ALARM_KINDS.pipelineTimedOut,
      stepFunctions(ALARM_KINDS.pipelineTimedOut.metric.name),
      settings.pipelineTimeouts,
    );
    alarm(
      ALARM_KINDS.validatorErrors,
      new cloudwatch.Metric({
        namespace: ALARM_KINDS.validatorErrors.metric.namespace,
        metricName: ALARM_KINDS.validatorErrors.metric.name,
        dimensionsMap: { FunctionName: validatorFunctionName(identity, dataset) },
        statistic: 'Sum',
        period,
      }),
      settings.validatorErrors,
    );
    alarm(
      ALARM_KINDS.filesRejected,
      validation(VALIDATION_METRICS.filesFailed, 'Sum'),
      settings.rejectedFiles,
    );
    if (quarantinesRows(dataset)) {
      alarm(
        ALARM_KINDS.rowsQuarantined,
        validation(VALIDATION_METRICS.rowsQuarantined, 'Sum'),
        settings.quarantinedRows,
      );
    }
    const freshnessThreshold = freshnessAlarmThresholdSeconds(dataset, settings.freshnessGraceSeconds);
    if (freshnessThreshold !== undefined) this.addFreshnessAlarm(props, freshnessThreshold);
    // SampleCount: a rule's RuleFailedRows is published only when it had failing rows or failed, and a
    // failed table-level rule publishes 0 rows.
    for (const rule of deriveRules(dataset).filter((candidate) => candidate.severity === 'warning')) {
      alarm(ALARM_KINDS.warningRule, validation(VALIDATION_METRICS.ruleFailedRows, 'SampleCount', { Rule: rule.id }), settings.warningRuleBreaches, rule.id);
    }
  }

  /**
   * `LastLoadAgeSeconds` from the domain's scheduled freshness check against the contract's
   * threshold plus the grace (`freshnessAlarmThresholdSeconds`). Missing data breaches: if the
   * check stops, staleness is unknown.
   */
  private addFreshnessAlarm({ identity, dataset, settings, alertTopic }: DatasetAlarmsProps, thresholdSeconds: number): void {
    const kind = ALARM_KINDS.freshness;
    const alarm = new cloudwatch.Alarm(this, kind.suffix, {
      alarmName: datasetAlarmName(identity, dataset, kind.suffix),
      alarmDescription: alarmDescription(kind, { name: `${dataset.domain}/${dataset.name}` }),
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: kind.metric.name,
        dimensionsMap: validationMetricDimensions({ environment: identity.environment, dataset }),
        statistic: 'Maximum',
        period: Duration.minutes(settings.freshnessCheckMinutes),
      }),
      threshold: thresholdSeconds,
      // One late check leaves a period without data, which breaches: `freshnessBreachingChecks` in a row
      // mean the data is stale or the check stopped.
      evaluationPeriods: settings.freshnessBreachingChecks,
      datapointsToAlarm: settings.freshnessBreachingChecks,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(alertTopic));
  }
}
