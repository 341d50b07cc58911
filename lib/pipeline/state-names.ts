/**
 * The states of a dataset's pipeline. Names are stable identifiers: the offline runtime overrides
 * Task states by name and the state-coverage test lists them, so both import these constants
 * instead of retyping them. Renaming one is a change to both.
 */
export const PIPELINE_STATES = {
  /** Draws the run's OpenLineage id and notes its start day. */
  startLineageRun: 'StartLineageRun',
  /** Task: S3 PutObject of the run's OpenLineage START event. */
  writeLineageStart: 'WriteLineageStart',
  /** Task: the dataset's validator function. */
  validate: 'Validate',
  checkValidation: 'CheckValidation',
  /** Task: SNS publish when no row passed. */
  alertRejected: 'AlertRejected',
  /** Task: the FAIL event of a rejected file. */
  writeLineageRejected: 'WriteLineageRejected',
  fileRejected: 'FileRejected',
  /** Task: the COMPLETE event of a file without rows. */
  writeLineageNothingToLoad: 'WriteLineageNothingToLoad',
  /** An empty file that met its contract: nothing to load. */
  nothingToLoad: 'NothingToLoad',
  prepareLoad: 'PrepareLoad',
  /** Task: DynamoDB conditional PutItem of the dataset's lock. */
  acquireLock: 'AcquireLock',
  /** Task: DynamoDB GetItem of the lock, to learn its holder. */
  readLockHolder: 'ReadLockHolder',
  checkLockHeld: 'CheckLockHeld',
  /** Task: Step Functions DescribeExecution of the lock's holder. */
  describeLockHolder: 'DescribeLockHolder',
  checkLockHolderRunning: 'CheckLockHolderRunning',
  /** Task: DynamoDB PutItem replacing a lock whose holder no longer runs. */
  takeOverLock: 'TakeOverLock',
  waitForLock: 'WaitForLock',
  countLockWait: 'CountLockWait',
  checkLockWaits: 'CheckLockWaits',
  lockNotAcquired: 'LockNotAcquired',
  /** Task: Athena `startQueryExecution.sync` of the load step. */
  load: 'Load',
  checkLoadFailure: 'CheckLoadFailure',
  renewLoadToken: 'RenewLoadToken',
  /** Task: DynamoDB conditional DeleteItem of the lock. */
  releaseLock: 'ReleaseLock',
  /** Task: CloudWatch PutMetricData. */
  publishMetrics: 'PublishMetrics',
  /** Task: EventBridge PutEvents of `DatasetLoaded`. */
  announceLoaded: 'AnnounceLoaded',
  checkQuarantinedRows: 'CheckQuarantinedRows',
  /** Task: SNS publish when rows were quarantined. */
  alertQuarantined: 'AlertQuarantined',
  /** Task: the COMPLETE event of a load. */
  writeLineageLoaded: 'WriteLineageLoaded',
  loaded: 'Loaded',
  /** Task: DynamoDB conditional DeleteItem of the lock on the failure path. */
  releaseLockAfterFailure: 'ReleaseLockAfterFailure',
  /** Task: the FAIL event of a pipeline that failed, written before its alert. */
  writeLineageFailed: 'WriteLineageFailed',
  /** Task: SNS publish of the failure. */
  alertFailed: 'AlertFailed',
  pipelineFailed: 'PipelineFailed',
} as const;

export type PipelineStateName = (typeof PIPELINE_STATES)[keyof typeof PIPELINE_STATES];
