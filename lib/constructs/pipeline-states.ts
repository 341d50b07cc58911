/**
 * The state graph of a dataset's pipeline (see `DatasetPipeline`): JSONPath only, a timeout on
 * every Task, retries with exponential backoff and full jitter, every failure caught into the
 * alert path, and state names from `PIPELINE_STATES`, which the offline runtime overrides by.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type EnvironmentIdentity, silverTableName } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { putMetricDataDimensions } from '../pipeline/operational-metrics.ts';
import type { LoadStep } from '../pipeline/load-step.ts';
import { PIPELINE_PATHS as P, VALIDATION_FIELDS } from '../pipeline/pipeline-data.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { PIPELINE_STATES as S } from '../pipeline/state-names.ts';
import { tableLockKey } from '../pipeline/lock-item.ts';
import { alertSubject } from '../pipeline/alert-subject.ts';
import { ICEBERG_COMMIT_CONFLICT, PIPELINE_ERRORS } from '../pipeline/pipeline-errors.ts';
import { datasetRunEvent, type DatasetRunOutcome, type DatasetRunShared, datasetRunShared } from '../pipeline/lineage/dataset-run-events.ts';
import type { Facets } from '../pipeline/lineage/run-event.ts';
import { announceTask } from './dataset-loaded-announcement.ts';
import { EVENT_TIME, lineageRunPaths, sharedPart, startLineageRun, writeLineageEvent } from './lineage-states.ts';
import { CONDITION_FAILED, lockStates, releaseLockTask } from './lock-states.ts';
import { withRetry } from './task-retry.ts';

/** Metric the pipeline publishes after a load (DESIGN.md "Public interfaces": metrics). */
export const ROWS_LOADED_METRIC = 'RowsLoaded';

export interface PipelineStatesProps {
  readonly dataset: Dataset;
  /** The environment: its name is a dimension of the metric and part of each alert; lineage names its buckets and catalog. */
  readonly identity: EnvironmentIdentity;
  readonly validator: lambda.IFunction;
  readonly load: LoadStep;
  readonly workgroupName: string;
  /**
   * Where the load query writes its results (the pipeline workgroup leaves that to the query);
   * the results bucket encrypts them with the platform key by default.
   */
  readonly loadResults: { readonly bucketName: string; readonly prefix: string };
  readonly lockTable: dynamodb.ITable;
  readonly alertTopic: sns.ITopic;
  /** Audit bucket holding the validation reports the alerts point at, and the run's lineage events. */
  readonly auditBucketName: string;
  /** ARNs of this pipeline's executions, `...:execution:<state machine name>:*`, for DescribeExecution. */
  readonly executionArns: string;
  readonly validateTimeout: Duration;
  readonly loadTimeout: Duration;
  /** Every other Task: one API call. */
  readonly callTimeout: Duration;
  readonly lockWaitInterval: Duration;
  readonly maxLockWaits: number;
  readonly maxCommitConflictRetries: number;
}

function timeout(duration: Duration): sfn.Timeout {
  return sfn.Timeout.duration(duration);
}

const text = sfn.JsonPath.stringAt;
const num = sfn.JsonPath.numberAt;

/** The landed object as an S3 URI, for people reading an alert. */
const landedFile = (): string => sfn.JsonPath.format('s3://{}/{}', text(P.bucket), text(P.key));

/** Builds the states under `scope` and returns the first one. */
export function pipelineStates(scope: Construct, props: PipelineStatesProps): sfn.IChainable {
  const { dataset, identity } = props;
  const environment = identity.environment;
  const ref = dataset.names.ref;
  const lockKey = tableLockKey(dataset);
  const lockTask = { table: props.lockTable, key: lockKey, callTimeout: props.callTimeout };
  const call = timeout(props.callTimeout);

  const alert = (id: string, subject: string, message: Record<string, unknown>): tasks.SnsPublish =>
    withRetry(
      new tasks.SnsPublish(scope, id, {
        topic: props.alertTopic,
        subject: alertSubject(subject),
        message: sfn.TaskInput.fromObject({ dataset: ref, environment, execution: sfn.JsonPath.executionId, ...message }),
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: call,
      }),
      RETRY_POLICIES.notification,
    );

  // The failure path: release the lock if this execution holds it, alert, fail.
  const pipelineFailed = new sfn.Fail(scope, S.pipelineFailed, {
    error: PIPELINE_ERRORS.failed,
    cause: `The pipeline of ${ref} failed; the alert and the execution history name the error`,
  });
  // Every run writes a START and then one COMPLETE or FAIL lineage event, just before its end.
  const lineagePaths = lineageRunPaths(P.lineage);
  // Each event takes what the run shares by path: an event without row counts, its input and output whole.
  const shared: DatasetRunShared = {
    job: sharedPart(lineagePaths, 'job'),
    inputs: sharedPart(lineagePaths, 'inputs'),
    outputs: sharedPart(lineagePaths, 'outputs'),
  };
  const facets = { input: sharedPart<Facets>(lineagePaths, 'inputs[0].facets'), output: sharedPart<Facets>(lineagePaths, 'outputs[0].facets') };
  const lineageEvent = (id: string, outcome: DatasetRunOutcome, next: sfn.IChainable): sfn.IChainable =>
    writeLineageEvent(scope, id, {
      auditBucketName: props.auditBucketName,
      domain: dataset.domain,
      table: silverTableName(dataset),
      paths: lineagePaths,
      event: datasetRunEvent(
        dataset,
        identity,
        { runId: text(lineagePaths.runId), eventTime: EVENT_TIME, key: text(P.key), shared, facets },
        outcome,
      ),
      callTimeout: props.callTimeout,
      next,
      failurePath: P.lineageWriteFailure,
    });
  const rowCounts = { validated: num(P.rowCount), loaded: num(P.rowsPassed) };

  const alertFailed = alert(S.alertFailed, `Pipeline failed: ${ref}`, {
    alert: 'PipelineFailed',
    input: sfn.JsonPath.executionInput,
    failure: sfn.JsonPath.objectAt(P.failure),
  }).next(pipelineFailed);
  // The FAIL event before the alert: an alert that cannot be sent still leaves the run's record.
  // The failure whole, as JSON: its Cause is optional, and a path to an absent one is States.Runtime, which no Catch handles.
  const reportFailure = lineageEvent(
    S.writeLineageFailed,
    { eventType: 'FAIL', errorMessage: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(P.failure)) },
    alertFailed,
  );
  const releaseLockAfterFailure = releaseLockTask(scope, S.releaseLockAfterFailure, lockTask)
    // Not holding the lock is the expected case for failures before it was taken.
    .addCatch(reportFailure, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD })
    .addCatch(reportFailure, { resultPath: P.lockReleaseFailure })
    .next(reportFailure);
  const failing = { resultPath: P.failure };

  // Validation.
  const validate = withRetry(
    new tasks.LambdaInvoke(scope, S.validate, {
      lambdaFunction: props.validator,
      // The landed file's event, as the execution was started with: not the run's own state.
      payload: sfn.TaskInput.fromJsonPathAt('$$.Execution.Input'),
      payloadResponseOnly: false,
      retryOnServiceExceptions: false,
      resultSelector: Object.fromEntries(VALIDATION_FIELDS.map((field) => [field, text(`$.Payload.${field}`)])),
      resultPath: P.validation,
      taskTimeout: timeout(props.validateTimeout),
    }),
    RETRY_POLICIES.lambda,
  ).addCatch(reportFailure, failing);

  const fileRejected = new sfn.Fail(scope, S.fileRejected, {
    error: PIPELINE_ERRORS.fileRejected,
    cause: `No row of the file passed the contract of ${ref}; the alert names the report`,
  });
  // The rejection's FAIL, with its row counts, before the alert, as for any failure; an alert that
  // cannot be sent goes on to the failure alert, not to a second FAIL: the run has its terminal event.
  const rejectFile = lineageEvent(
    S.writeLineageRejected,
    {
      eventType: 'FAIL',
      errorMessage: sfn.JsonPath.format(`No row of the file passed the contract of ${ref}; the report is s3://${props.auditBucketName}/{}`, text(P.reportKey)),
      rows: { validated: rowCounts.validated, loaded: 0 },
    },
    alert(S.alertRejected, `File rejected: ${ref}`, {
      alert: 'FileRejected',
      file: landedFile(),
      fileId: text(P.fileId),
      report: sfn.JsonPath.format(`s3://${props.auditBucketName}/{}`, text(P.reportKey)),
      rowsQuarantined: num(P.rowsQuarantined),
      failedRules: sfn.JsonPath.listAt(P.failedRules),
    })
      .addCatch(alertFailed, failing)
      .next(fileRejected),
  );

  // The lock: one writer per table.
  const lock = lockStates(scope, {
    names: S,
    paths: P,
    table: props.lockTable,
    key: lockKey,
    details: { fileId: tasks.DynamoAttributeValue.fromString(text(P.fileId)) },
    executionArns: props.executionArns,
    callTimeout: props.callTimeout,
    waitInterval: props.lockWaitInterval,
    maxWaits: props.maxLockWaits,
    countWait: {
      parameters: {
        token: text(P.loadToken),
        commitConflicts: num(P.commitConflicts),
        lockWaits: sfn.JsonPath.mathAdd(num(P.lockWaits), 1),
      },
      resultPath: P.load,
    },
    notAcquired: {
      error: PIPELINE_ERRORS.lockNotAcquired,
      cause:
        `Another execution kept loading ${ref} through ${props.maxLockWaits} waits of ` +
        `${props.lockWaitInterval.toSeconds()} s; the lock item names it`,
    },
    onFailure: releaseLockAfterFailure,
    onNotAcquired: reportFailure,
  });

  // The load, retried with a fresh request token after an Iceberg commit conflict (DESIGN.md
  // "Retries that need a new query": the same token would return the failed query again).
  const load = withRetry(
    new tasks.AthenaStartQueryExecution(scope, S.load, {
      queryString: sfn.JsonPath.format(props.load.template, ...props.load.argumentPaths.map((path) => text(path))),
      clientRequestToken: text(P.loadToken),
      workGroup: props.workgroupName,
      resultConfiguration: {
        outputLocation: { bucketName: props.loadResults.bucketName, objectKey: props.loadResults.prefix },
      },
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      resultSelector: { queryExecutionId: text('$.QueryExecution.QueryExecutionId') },
      resultPath: P.loadResult,
      taskTimeout: timeout(props.loadTimeout),
    }),
    RETRY_POLICIES.athena,
  );
  const renewLoadToken = new sfn.Pass(scope, S.renewLoadToken, {
    parameters: {
      token: sfn.JsonPath.uuid(),
      commitConflicts: sfn.JsonPath.mathAdd(num(P.commitConflicts), 1),
      lockWaits: num(P.lockWaits),
    },
    resultPath: P.load,
  }).next(load);
  const checkLoadFailure = new sfn.Choice(scope, S.checkLoadFailure)
    .when(
      sfn.Condition.and(
        sfn.Condition.isPresent(P.failureCause),
        sfn.Condition.stringMatches(P.failureCause, `*${ICEBERG_COMMIT_CONFLICT}*`),
        sfn.Condition.numberLessThan(P.commitConflicts, props.maxCommitConflictRetries),
      ),
      renewLoadToken,
    )
    .otherwise(releaseLockAfterFailure);
  load.addCatch(checkLoadFailure, failing);

  // After the load: release, measure, announce, and tell the owners about quarantined rows.
  const loaded = lineageEvent(
    S.writeLineageLoaded,
    { eventType: 'COMPLETE', rows: rowCounts },
    new sfn.Succeed(scope, S.loaded),
  );
  const alertQuarantined = alert(S.alertQuarantined, `Rows quarantined: ${ref}`, {
    alert: 'RowsQuarantined',
    file: landedFile(),
    fileId: text(P.fileId),
    report: sfn.JsonPath.format(`s3://${props.auditBucketName}/{}`, text(P.reportKey)),
    rowsLoaded: num(P.rowsPassed),
    rowsQuarantined: num(P.rowsQuarantined),
    failedRules: sfn.JsonPath.listAt(P.failedRules),
  })
    .addCatch(reportFailure, failing)
    .next(loaded);
  const checkQuarantinedRows = new sfn.Choice(scope, S.checkQuarantinedRows)
    .when(sfn.Condition.numberGreaterThan(P.rowsQuarantined, 0), alertQuarantined)
    .otherwise(loaded);
  const announceLoaded = announceTask(
    scope,
    S.announceLoaded,
    { dataset: ref, fileId: text(P.fileId), ingestDate: text(P.ingestDate), rowsLoaded: num(P.rowsPassed) },
    call,
  )
    .addCatch(reportFailure, failing)
    .next(checkQuarantinedRows);
  const publishMetrics = withRetry(
    new tasks.CallAwsService(scope, S.publishMetrics, {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: METRICS_NAMESPACE,
        MetricData: [
          {
            MetricName: ROWS_LOADED_METRIC,
            Unit: 'Count',
            Value: num(P.rowsPassed),
            Dimensions: putMetricDataDimensions(validationMetricDimensions({ environment, dataset })),
          },
        ],
      },
      iamResources: ['*'],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: call,
    }),
    RETRY_POLICIES.notification,
  )
    .addCatch(reportFailure, failing)
    .next(announceLoaded);
  const releaseLock = releaseLockTask(scope, S.releaseLock, lockTask)
    .addCatch(reportFailure, failing)
    .next(publishMetrics);
  load.next(releaseLock);
  lock.takeOver.next(load);
  lock.acquire.next(load);

  const prepareLoad = new sfn.Pass(scope, S.prepareLoad, {
    parameters: { token: sfn.JsonPath.uuid(), commitConflicts: 0, lockWaits: 0 },
    resultPath: P.load,
  }).next(lock.acquire);
  const checkValidation = new sfn.Choice(scope, S.checkValidation)
    .when(sfn.Condition.numberGreaterThan(P.rowsPassed, 0), prepareLoad)
    .when(sfn.Condition.booleanEquals(P.passed, false), rejectFile)
    .otherwise(
      lineageEvent(
        S.writeLineageNothingToLoad,
        { eventType: 'COMPLETE', rows: rowCounts },
        new sfn.Succeed(scope, S.nothingToLoad),
      ),
    );
  validate.next(checkValidation);
  return startLineageRun(scope, S.startLineageRun, lineagePaths, { ...datasetRunShared(dataset, identity, text(P.key)) }).next(
    lineageEvent(S.writeLineageStart, { eventType: 'START' }, validate),
  );
}
