/**
 * The states of an ML model's training state machine (see `ModelTraining`), named once here so
 * the offline runtime can override its Tasks by name, and where the machine keeps its data. The
 * states are the same for every model but the threshold checks, one per threshold. Pure.
 */
import type { MetricThreshold } from './model.ts';

export const TRAINING_STATES = {
  /** Pass: the run id (a UUID, also the registration's idempotency token) and its start. */
  prepareRun: 'PrepareRun',
  /** Pass: the run's lineage, its id the run's, and the day it started. */
  startLineageRun: 'StartLineageRun',
  /** Tasks: S3 PutObject of the run's OpenLineage START, COMPLETE (recorded) and FAIL events. */
  writeLineageStart: 'WriteLineageStart',
  writeLineageComplete: 'WriteLineageComplete',
  writeLineageFailed: 'WriteLineageFailed',
  /** Pass: where the run's files go, all under its own folder. */
  nameRunFiles: 'NameRunFiles',
  /** Task: Athena query of the feature table's newest snapshot id. */
  findFeatureSnapshot: 'FindFeatureSnapshot',
  /** Task: Athena GetQueryResults of that query. */
  readFeatureSnapshot: 'ReadFeatureSnapshot',
  checkFeatureSnapshot: 'CheckFeatureSnapshot',
  /** Pass: the feature table has no snapshot yet (its model was never published): a failed run. */
  noFeatureData: 'NoFeatureData',
  pinFeatureSnapshot: 'PinFeatureSnapshot',
  /** Task: Athena UNLOAD of the training rows at the pinned snapshot. */
  unloadTrainingSet: 'UnloadTrainingSet',
  /** Task: Athena UNLOAD of the validation rows at the pinned snapshot. */
  unloadValidationSet: 'UnloadValidationSet',
  /** Task: SageMaker CreateTrainingJob, run to completion (`.sync`). */
  train: 'Train',
  /** Pass: the job's final metrics followed by a placeholder for each metric a threshold names. */
  collectMetrics: 'CollectMetrics',
  /** Pass: the job's final metrics by name. */
  evaluate: 'Evaluate',
  /** Task: S3 PutObject of the metrics document the registered version points to. */
  writeMetrics: 'WriteMetrics',
  /** Task: Lambda registering the version in the Model Package Group. */
  register: 'Register',
  registered: 'Registered',
  belowThreshold: 'BelowThreshold',
  /** Task: S3 PutObject of the run record, registered or below threshold. */
  recordRun: 'RecordRun',
  /** Task: Athena INSERT of the run's row into the domain's ml_runs table, from its record. */
  trackRun: 'TrackRun',
  /** Task: SNS publish to the domain's topic: the run is recorded and its outcome stands, but ml_runs lacks its row. */
  alertRunNotTracked: 'AlertRunNotTracked',
  runRecorded: 'RunRecorded',
  /** Pass: the outcome of a run that failed. */
  runFailed: 'RunFailed',
  /** Task: S3 PutObject of the failed run's record. */
  recordFailedRun: 'RecordFailedRun',
  /** Task: Athena INSERT of the failed run's row into ml_runs, from its record. */
  trackFailedRun: 'TrackFailedRun',
  /** Task: SNS publish to the domain's topic. */
  alertFailed: 'AlertTrainingFailed',
  trainingFailed: 'TrainingFailed',
} as const;

export const TRAINING_ERRORS = {
  failed: 'Training.Failed',
  noFeatureData: 'Training.NoFeatureData',
} as const;

/** The placeholder value of a metric the training job did not report: not a number, so its gate fails. */
export const UNREPORTED_METRIC = 'unreported';

/** What a run record's `outcome.status` says. */
export type TrainingOutcome = 'registered' | 'below-threshold' | 'failed';

/** Where the machine keeps its state; every path is JSONPath-safe. */
export const TRAINING_PATHS = {
  run: '$.run',
  runId: '$.run.id',
  startedAt: '$.run.startedAt',
  files: '$.files',
  query: '$.query',
  queryId: '$.query.id',
  snapshot: '$.snapshot',
  snapshotRows: '$.snapshot.rows',
  snapshotId: '$.snapshot.id',
  training: '$.training',
  /** Placeholders of the metrics thresholds name, `{MetricName, Value: 'unreported'}`. */
  unreported: '$.run.unreported',
  metricReports: '$.metricReports',
  metrics: '$.metrics',
  registered: '$.registered',
  outcome: '$.outcome',
  failure: '$.failure',
  /** Why TrackRun failed, for its alert. */
  trackingFailure: '$.trackingFailure',
  /** The run's lineage: `{ runId, startDay, shared }`. */
  lineage: '$.lineage',
  /** A lineage event that could not be written; the run went on. */
  lineageWriteFailure: '$.lineageWriteFailure',
} as const;

/**
 * A metric's field under `$.metrics`: `validation:auc` -> `validation_auc`. Colons and hyphens are
 * no JSONPath member names, and XGBoost's metric names differ in more than those characters.
 */
export function metricField(metric: string): string {
  return metric.replaceAll(/[^A-Za-z0-9]/g, '_');
}

/** The Choice checking one threshold, numbered from 1 in spec order (one metric may have two gates). */
export function thresholdStateName(threshold: Pick<MetricThreshold, 'metric'>, index: number): string {
  return `CheckThreshold${index + 1}-${metricField(threshold.metric)}`;
}
