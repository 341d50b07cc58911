import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { datasetAlarmName, type EnvironmentIdentity, pipelineStateMachineName, validatorFunctionName } from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, VALIDATION_METRICS, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { deriveRules } from '../validation/derive-rules.ts';
import { stateMachineArns } from './state-machine-arns.ts';

/** Where every alarm description sends the reader: the README's alarms section, one paragraph per alarm kind. */
export const ALARMS_RUNBOOK = 'README.md#alarms';

/**
 * The kinds of a dataset's error-level alarms: its data is missing or wrong. The domain's health
 * alarm watches exactly these, by name.
 */
export const ERROR_ALARMS = {
  pipelineFailed: 'pipeline-failed',
  pipelineTimedOut: 'pipeline-timed-out',
  validatorErrors: 'validator-errors',
  filesRejected: 'files-rejected',
  rowsQuarantined: 'rows-quarantined',
} as const;

/** Only this disposition quarantines rows of a file that otherwise loads. */
function quarantinesRows(dataset: Dataset): boolean {
  return dataset.onViolation === 'quarantine-rows';
}

/** The names of the error-level alarms `DatasetAlarms` gives the dataset. */
export function errorAlarmNames(identity: Pick<EnvironmentIdentity, 'environment'>, dataset: Dataset): string[] {
  const kinds = Object.values(ERROR_ALARMS).filter((kind) => kind !== ERROR_ALARMS.rowsQuarantined || quarantinesRows(dataset));
  return kinds.map((kind) => datasetAlarmName(identity, dataset, kind));
}

type Priority = 'error' | 'warning';
const PRIORITY_LABEL: Record<Priority, string> = { error: '[error]', warning: '[warning, low priority]' };

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
      new cloudwatch.Metric({ namespace: 'AWS/States', metricName, dimensionsMap: { StateMachineArn: pipelineArn }, statistic: 'Sum', period });
    const validationDimensions = validationMetricDimensions({ environment: identity.environment, dataset });
    const validation = (metricName: string, statistic: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { ...validationDimensions, ...dimensions }, statistic, period });
    // The priority leads the description, which the notification carries: error-level alarms mean the
    // dataset's data is missing or wrong; warning-level ones that a rule the contract tolerates is slipping.
    const alarm = (priority: Priority, what: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, what, {
        alarmName: datasetAlarmName(identity, dataset, what),
        alarmDescription: `${PRIORITY_LABEL[priority]} ${description} Runbook: ${ALARMS_RUNBOOK} (${what}).`,
        metric,
        threshold,
        evaluationPeriods: settings.evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(props.alertTopic));
    };
    const subject = `${dataset.domain}/${dataset.name}`;

    alarm(
      'error',
      ERROR_ALARMS.pipelineFailed,
      stepFunctions('ExecutionsFailed'),
      settings.pipelineFailures,
      `The pipeline of ${subject} failed: landed files were not loaded into silver. First: open the failed execution, read its error and cause, fix, then re-land the file.`,
    );
    alarm(
      'error',
      ERROR_ALARMS.pipelineTimedOut,
      stepFunctions('ExecutionsTimedOut'),
      settings.pipelineTimeouts,
      `The pipeline of ${subject} timed out: a load may hold the dataset's lock. First: find the stuck state in the execution's history (often an Athena query), then re-land the file.`,
    );
    alarm(
      'error',
      ERROR_ALARMS.validatorErrors,
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: { FunctionName: validatorFunctionName(identity, dataset) },
        statistic: 'Sum',
        period,
      }),
      settings.validatorErrors,
      `The validator of ${subject} crashed (not a contract failure): files go unvalidated. First: read the function's log for the error (memory, timeout, unreadable file).`,
    );
    alarm(
      'error',
      ERROR_ALARMS.filesRejected,
      validation(VALIDATION_METRICS.filesFailed, 'Sum'),
      settings.rejectedFiles,
      `Files of ${subject} failed an error-severity rule of their contract and were quarantined. First: read the file's validation report in the audit zone, then tell the producer.`,
    );
    if (quarantinesRows(dataset)) {
      alarm(
        'error',
        ERROR_ALARMS.rowsQuarantined,
        validation(VALIDATION_METRICS.rowsQuarantined, 'Sum'),
        settings.quarantinedRows,
        `Rows of ${subject} failed an error-severity rule and were quarantined; the rest loaded. First: read the validation report's failing rules and samples, then tell the producer.`,
      );
    }
    // SampleCount: a rule's RuleFailedRows is published only when it had failing rows or failed, and a
    // failed table-level rule publishes 0 rows.
    for (const rule of deriveRules(dataset).filter((candidate) => candidate.severity === 'warning')) {
      alarm(
        'warning',
        `warning-${rule.id}`,
        validation(VALIDATION_METRICS.ruleFailedRows, 'SampleCount', { Rule: rule.id }),
        settings.warningRuleBreaches,
        `Warning rule '${rule.id}' of ${subject} had failing rows or failed; files still loaded. First: check the trend in the validation reports, then agree with the producer or the contract owner.`,
      );
    }
  }
}
