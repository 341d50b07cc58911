/**
 * The fixed states of a domain's build (see `DomainBuild`); a model's own states are named after
 * its steps (`<domain>-<model>-<what>`, from `modelSteps`). The offline runtime overrides Tasks
 * by these names, so they are defined once. Pure.
 */
export const BUILD_STATES = {
  prepareBuild: 'PrepareBuild',
  /** Task: DynamoDB conditional PutItem of the domain's build lock. */
  acquireLock: 'AcquireBuildLock',
  /** Task: DynamoDB GetItem of the lock, to learn its holder. */
  readLockHolder: 'ReadBuildLockHolder',
  checkLockHeld: 'CheckBuildLockHeld',
  /** Task: Step Functions DescribeExecution of the lock's holder. */
  describeLockHolder: 'DescribeBuildLockHolder',
  checkLockHolderRunning: 'CheckBuildLockHolderRunning',
  /** Task: DynamoDB PutItem replacing a lock whose holder no longer runs. */
  takeOverLock: 'TakeOverBuildLock',
  waitForLock: 'WaitForBuildLock',
  countLockWait: 'CountBuildLockWait',
  checkLockWaits: 'CheckBuildLockWaits',
  lockNotAcquired: 'BuildLockNotAcquired',
  /** Task: DynamoDB conditional DeleteItem of the lock. */
  releaseLock: 'ReleaseBuildLock',
  checkModels: 'CheckModelOutcomes',
  built: 'Built',
  /** Some model failed its tests or could not run; its alert names it. */
  modelsFailed: 'ModelsFailed',
  /** Task: DynamoDB conditional DeleteItem of the lock on the failure path. */
  releaseLockAfterFailure: 'ReleaseBuildLockAfterFailure',
  /** Task: SNS publish of a failure outside any model. */
  alertFailed: 'AlertBuildFailed',
  buildFailed: 'BuildFailed',
} as const;

/** The `Parallel` state running the models of one DAG layer (1-based). */
export function layerStateName(layer: number): string {
  return `BuildLayer${layer}`;
}

/** Per model: the states around its steps, named like them. */
export function modelStateNames(stepPrefix: string) {
  return {
    checkInputs: `${stepPrefix}-check-inputs`,
    checkTrigger: `${stepPrefix}-check-trigger`,
    checkTests: `${stepPrefix}-check-tests`,
    /** Draws the model run's OpenLineage id and notes its start day. */
    startLineageRun: `${stepPrefix}-start-lineage-run`,
    /** Tasks: S3 PutObject of the model run's OpenLineage START, COMPLETE and FAIL events. */
    writeLineageStart: `${stepPrefix}-lineage-start`,
    writeLineagePublished: `${stepPrefix}-lineage-published`,
    writeLineageTestsFailed: `${stepPrefix}-lineage-tests-failed`,
    writeLineageError: `${stepPrefix}-lineage-error`,
    announce: `${stepPrefix}-announce`,
    alertTestFailed: `${stepPrefix}-alert-test-failed`,
    /** Task: CloudWatch PutMetricData of `ModelTestFailures`. */
    publishTestFailures: `${stepPrefix}-publish-test-failures`,
    alertError: `${stepPrefix}-alert-error`,
    published: `${stepPrefix}-published`,
    failed: `${stepPrefix}-failed`,
    error: `${stepPrefix}-error`,
    skipped: `${stepPrefix}-skipped`,
    notAffected: `${stepPrefix}-not-affected`,
    notSelected: `${stepPrefix}-not-selected`,
  } as const;
}

/**
 * The execution input field holding an explicit model selection, `{"models": {"<outcome key>":
 * true, ...}}` (outcome keys `<domain>__<model>` are JSONPath-safe; model ids are not). When it is
 * present, a model runs if its key is there (the value is not read) and is `not-selected`
 * otherwise, whatever `detail.dataset` says.
 */
export const MODEL_SELECTION_FIELD = 'models';

export const BUILD_ERRORS = {
  failed: 'Build.Failed',
  modelsFailed: 'Build.ModelsFailed',
  lockNotAcquired: 'Build.LockNotAcquired',
} as const;
