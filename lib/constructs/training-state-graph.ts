/**
 * The state graph of an ML model's training (see `ModelTraining`): pin the feature table's newest
 * snapshot, UNLOAD the training and validation rows at it into the run's folder, train with
 * SageMaker's built-in XGBoost (`.sync`), read the final metrics, check every threshold, and
 * register the model when all pass. Every run, registered, below threshold or failed, ends by
 * writing its record to the audit zone and inserting its row, read from that record, into the
 * domain's `ml_runs` table. JSONPath only, a timeout on every Task, state names from
 * `TRAINING_STATES`, which the offline runtime overrides by.
 */
import { Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type EnvironmentIdentity, TRAINING_METRICS_FILE } from '../config/names.ts';
import type { MlModel, MetricThreshold } from '../ml/model.ts';
import { mlRunsInsertStatement } from '../ml/run-tracking-queries.ts';
import { trainingDatasets, trainingJob, trainingRunEvent, type TrainingRunOutcome } from '../ml/training-run-events.ts';
import { type FeatureTable, TRAINING_CHANNELS, TRAINING_SET_CONTENT_TYPE, trainingSetFolder, unloadStatement } from '../ml/training-queries.ts';
import { metricField, thresholdStateName, TRAINING_ERRORS, type TrainingOutcome, UNREPORTED_METRIC, TRAINING_PATHS as P, TRAINING_STATES as S } from '../ml/training-states.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { featureSnapshotPinning } from './feature-snapshot-pinning.ts';
import { EVENT_TIME, lineageRunPaths, sharedPart, startLineageRun, writeLineageEvent } from './lineage-states.ts';
import { alertSubject } from '../pipeline/alert-subject.ts';
import { mlFailureAlert } from './ml-failure-alert.ts';
import { mlStatementTask } from './ml-statement-task.ts';
import { withRetry } from './task-retry.ts';

export interface TrainingStateGraphProps {
  readonly model: MlModel;
  /** The environment: lineage names its catalog and registry. */
  readonly identity: EnvironmentIdentity;
  /** The Model Package Group versions are registered in. */
  readonly group: string;
  readonly featureTable: FeatureTable;
  /** The domain's pipeline workgroup every statement runs in. */
  readonly workGroupName: string;
  /** The audit zone's bucket, which keeps every run's files, record and lineage events. */
  readonly auditBucketName: string;
  /** `ml/<domain>/<model>/runs/`: each run's folder is under it. */
  readonly runsPrefix: string;
  /** `ml/<domain>/<model>/records/`: each run's record is alone in `<run id>/` under it. */
  readonly recordsPrefix: string;
  /** The record's file name in its folder. */
  readonly recordFile: string;
  /** The domain's `ml_runs` Iceberg table. */
  readonly runsTable: FeatureTable;
  /** The model's external table over its run records, partitioned by run id. */
  readonly recordsTable: FeatureTable;
  /** Every training job name is `<prefix>-<run id>`. */
  readonly trainingJobPrefix: string;
  /** The built-in XGBoost image of the stack's region. */
  readonly image: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** The role SageMaker trains with. */
  readonly trainingRole: iam.IRole;
  /** Encrypts the training volume and the model artifact. */
  readonly key: kms.IKey;
  readonly instanceType: string;
  readonly volumeSize: Size;
  /** How long a training job may run before SageMaker stops it. */
  readonly maxTrainingTime: Duration;
  readonly registerFunction: lambda.IFunction;
  /** The domain's topic: a failed run alerts its owner there. */
  readonly alertTopic: sns.ITopic;
  /** One snapshot or UNLOAD statement. */
  readonly statementTimeout: Duration;
  /** Every other Task: one API call. */
  readonly callTimeout: Duration;
  /** What the run record says about the inputs besides the snapshot: contract versions of the feature model's inputs. */
  readonly contractVersions: Readonly<Record<string, string>>;
}

/** SageMaker provisions an instance and uploads the artifact besides training: time the Task allows beyond the job's own limit. */
const TRAINING_OVERHEAD = Duration.minutes(30);

/** Where the run's files go, under `s3://<audit>/<runs prefix><run id>/`. */
const FILES = {
  trainingSet: `${P.files}.trainingSet`,
  train: `${P.files}.train`,
  validation: `${P.files}.validation`,
  output: `${P.files}.output`,
  metricsKey: `${P.files}.metricsKey`,
  metricsDocument: `${P.files}.metricsDocument`,
  recordKey: `${P.files}.recordKey`,
} as const;

/** Builds the states under `scope` and returns the first one. */
export function trainingStateGraph(scope: Construct, props: TrainingStateGraphProps): sfn.IChainable {
  const { model } = props;
  const failing = { resultPath: P.failure };
  const call = sfn.Timeout.duration(props.callTimeout);

  // Every run writes a START and then one COMPLETE (recorded: registered or below threshold) or
  // FAIL lineage event.
  const lineagePaths = lineageRunPaths(P.lineage);
  const lineageEvent = (id: string, outcome: TrainingRunOutcome, next: sfn.IChainable): sfn.IChainable =>
    writeLineageEvent(scope, id, {
      auditBucketName: props.auditBucketName,
      domain: model.domain,
      table: model.name,
      paths: lineagePaths,
      event: trainingRunEvent(
        model,
        props.identity,
        props.group,
        { runId: sfn.JsonPath.stringAt(lineagePaths.runId), eventTime: EVENT_TIME, datasets: { inputs: sharedPart(lineagePaths, 'datasets.inputs'), outputs: sharedPart(lineagePaths, 'datasets.outputs') }, job: sharedPart(lineagePaths, 'job') },
        outcome,
      ),
      callTimeout: props.callTimeout,
      next,
      failurePath: P.lineageWriteFailure,
    });

  // Every failure is recorded as a run, then alerted; the execution fails.
  const alertFailed = mlFailureAlert(scope, {
    model,
    alertTopic: props.alertTopic,
    alert: 'TrainingFailed',
    subject: 'Training failed',
    alertState: S.alertFailed,
    failState: S.trainingFailed,
    error: TRAINING_ERRORS.failed,
    cause: `Training of ${model.id} failed; the alert, the run record and the execution history name the error`,
    run: { runId: sfn.JsonPath.stringAt(P.runId) },
    failurePath: P.failure,
    callTimeout: props.callTimeout,
  });
  const recordFailedRun = putRunRecord(scope, props, S.recordFailedRun, {
    outcome: sfn.JsonPath.objectAt(P.outcome),
    failure: sfn.JsonPath.objectAt(P.failure),
  })
    .addCatch(alertFailed, { resultPath: '$.recordFailure' })
    .next(
      // A failed run's row is tracked like any other; the run stays failed whether or not it is.
      trackRun(scope, props, S.trackFailedRun).addCatch(alertFailed, { resultPath: P.trackingFailure }).next(alertFailed),
    );
  // The FAIL event first: a run whose record or alert cannot be written still ends in lineage.
  const runFailed = new sfn.Pass(scope, S.runFailed, { parameters: outcome('failed'), resultPath: P.outcome }).next(
    lineageEvent(
      S.writeLineageFailed,
      // The caught failure whole: its Cause is optional, and a path to one that is absent is an uncatchable States.Runtime.
      { eventType: 'FAIL', errorMessage: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(P.failure)) },
      recordFailedRun,
    ),
  );

  // Registered or below threshold: a recorded outcome, so the execution succeeds either way.
  const runRecorded = new sfn.Succeed(scope, S.runRecorded);
  // The record is written and the version registered: a missing ml_runs row is alerted, not a failed run.
  const alertNotTracked = withRetry(
    new tasks.SnsPublish(scope, S.alertRunNotTracked, {
      topic: props.alertTopic,
      subject: alertSubject(`Training run not tracked: ${model.id}`),
      message: sfn.TaskInput.fromObject({
        alert: 'TrainingRunNotTracked',
        domain: model.domain,
        model: model.id,
        execution: sfn.JsonPath.executionId,
        runId: sfn.JsonPath.stringAt(P.runId),
        record: sfn.JsonPath.stringAt(FILES.recordKey),
        outcome: sfn.JsonPath.objectAt(P.outcome),
        failure: sfn.JsonPath.objectAt(P.trackingFailure),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: call,
    }),
    RETRY_POLICIES.notification,
  ).next(runRecorded);
  const track = trackRun(scope, props, S.trackRun).addCatch(alertNotTracked, { resultPath: P.trackingFailure }).next(runRecorded);
  const recordRun = putRunRecord(scope, props, S.recordRun, {
    featureSnapshotId: sfn.JsonPath.stringAt(P.snapshotId),
    trainingJob: sfn.JsonPath.stringAt(`${P.training}.jobName`),
    artifact: sfn.JsonPath.stringAt(`${P.training}.artifact`),
    metrics: sfn.JsonPath.objectAt(`${P.training}.metrics`),
    outcome: sfn.JsonPath.objectAt(P.outcome),
  })
    .addCatch(runFailed, failing)
    // COMPLETE once the outcome is recorded, before tracking, whose failure changes no outcome.
    .next(
      lineageEvent(
        S.writeLineageComplete,
        { eventType: 'COMPLETE', outcome: sfn.JsonPath.objectAt(P.outcome) as unknown as Record<string, unknown>, metrics: sfn.JsonPath.objectAt(`${P.training}.metrics`) },
        track,
      ),
    );

  const belowThreshold = new sfn.Pass(scope, S.belowThreshold, { parameters: outcome('below-threshold'), resultPath: P.outcome }).next(recordRun);
  const registered = new sfn.Pass(scope, S.registered, {
    parameters: {
      ...outcome('registered'),
      modelPackageArn: sfn.JsonPath.stringAt(`${P.registered}.arn`),
      version: sfn.JsonPath.numberAt(`${P.registered}.version`),
      approval: sfn.JsonPath.stringAt(`${P.registered}.approval`),
    },
    resultPath: P.outcome,
  }).next(recordRun);

  const register = withRetry(
    new tasks.LambdaInvoke(scope, S.register, {
      lambdaFunction: props.registerFunction,
      payload: sfn.TaskInput.fromObject({
        runId: sfn.JsonPath.stringAt(P.runId),
        featureSnapshotId: sfn.JsonPath.stringAt(P.snapshotId),
        trainingSet: sfn.JsonPath.stringAt(FILES.trainingSet),
        artifact: sfn.JsonPath.stringAt(`${P.training}.artifact`),
        metricsDocument: sfn.JsonPath.stringAt(FILES.metricsDocument),
        metrics: sfn.JsonPath.objectAt(`${P.training}.metrics`),
      }),
      retryOnServiceExceptions: false,
      resultSelector: {
        arn: sfn.JsonPath.stringAt('$.Payload.arn'),
        version: sfn.JsonPath.numberAt('$.Payload.version'),
        approval: sfn.JsonPath.stringAt('$.Payload.approval'),
      },
      resultPath: P.registered,
      taskTimeout: call,
    }),
    RETRY_POLICIES.lambda,
  )
    .addCatch(runFailed, failing)
    .next(registered);

  const writeMetrics = withRetry(
    new tasks.CallAwsService(scope, S.writeMetrics, {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: props.auditBucketName,
        Key: sfn.JsonPath.stringAt(FILES.metricsKey),
        Body: { runId: sfn.JsonPath.stringAt(P.runId), metrics: sfn.JsonPath.objectAt(`${P.training}.metrics`) },
        ContentType: 'application/json',
      },
      // The role's policy is written out in full by ModelTraining.
      iamResources: ['*'],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: call,
    }),
    RETRY_POLICIES.notification,
  )
    .addCatch(runFailed, failing)
    .next(register);

  // One Choice per threshold, in spec order, on the metric Evaluate picked out; one the job did
  // not report is its placeholder, no number, and fails the gate (tested first: a numeric
  // comparison with a string is a runtime error).
  let gate: sfn.IChainable = writeMetrics;
  [...props.model.thresholds].reverse().forEach((threshold, reversedIndex) => {
    const index = props.model.thresholds.length - 1 - reversedIndex;
    const value = `${P.metrics}.${metricField(threshold.metric)}[0]`;
    gate = new sfn.Choice(scope, thresholdStateName(threshold, index))
      .when(sfn.Condition.not(sfn.Condition.isNumeric(value)), belowThreshold)
      .when(passes(threshold, value), gate)
      .otherwise(belowThreshold);
  });

  // A JSONPath filter matching nothing is an error, so each metric is looked up in the job's
  // report followed by the placeholders: the first match is the reported value if there is one.
  const thresholdMetrics = [...new Set(model.thresholds.map((threshold) => threshold.metric))];
  const evaluate = new sfn.Pass(scope, S.evaluate, {
    parameters: Object.fromEntries(
      thresholdMetrics.map((metric) => [metricField(metric), sfn.JsonPath.listAt(`${P.metricReports}.reports[*][?(@.MetricName == '${metric}')].Value`)]),
    ),
    resultPath: P.metrics,
  }).next(gate);
  const collectMetrics = new sfn.Pass(scope, S.collectMetrics, {
    // `JsonPath.array` is typed for strings; a path renders the same whatever it points to.
    parameters: { reports: sfn.JsonPath.array(sfn.JsonPath.stringAt(`${P.training}.metrics`), sfn.JsonPath.stringAt(P.unreported)) },
    resultPath: P.metricReports,
  }).next(evaluate);

  const train = new tasks.SageMakerCreateTrainingJob(scope, S.train, {
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    trainingJobName: sfn.JsonPath.format(`${props.trainingJobPrefix}-{}`, sfn.JsonPath.stringAt(P.runId)),
    role: props.trainingRole,
    algorithmSpecification: {
      trainingImage: tasks.DockerImage.fromRegistry(props.image),
      trainingInputMode: tasks.InputMode.FILE,
    },
    hyperparameters: props.hyperparameters,
    inputDataConfig: TRAINING_CHANNELS.map((channel) => ({
      channelName: channel,
      contentType: TRAINING_SET_CONTENT_TYPE,
      dataSource: {
        s3DataSource: {
          s3DataType: tasks.S3DataType.S3_PREFIX,
          s3DataDistributionType: tasks.S3DataDistributionType.FULLY_REPLICATED,
          s3Location: tasks.S3Location.fromJsonExpression(FILES[channel]),
        },
      },
    })),
    outputDataConfig: { s3OutputLocation: tasks.S3Location.fromJsonExpression(FILES.output), encryptionKey: props.key },
    resourceConfig: {
      instanceCount: 1,
      instanceType: new ec2.InstanceType(props.instanceType),
      volumeSize: props.volumeSize,
      volumeEncryptionKey: props.key,
    },
    stoppingCondition: { maxRuntime: props.maxTrainingTime },
    resultSelector: {
      jobName: sfn.JsonPath.stringAt('$.TrainingJobName'),
      artifact: sfn.JsonPath.stringAt('$.ModelArtifacts.S3ModelArtifacts'),
      metrics: sfn.JsonPath.objectAt('$.FinalMetricDataList'),
    },
    resultPath: P.training,
    taskTimeout: sfn.Timeout.duration(props.maxTrainingTime.plus(TRAINING_OVERHEAD)),
  });
  // Not retried: a second CreateTrainingJob under the same name is refused, and a job that ran and
  // failed would only fail again on the same data. The next trigger is the retry, as a new run.
  train.addCatch(runFailed, failing).next(collectMetrics);

  const unloads = TRAINING_CHANNELS.map((channel) => {
    const statement = unloadStatement(model, props.featureTable, channel, { snapshotId: P.snapshotId, channelUri: FILES[channel] });
    return mlStatementTask(scope, channel === 'train' ? S.unloadTrainingSet : S.unloadValidationSet, statement, props).addCatch(runFailed, failing);
  });
  unloads[0]!.next(unloads[1]!).next(train);

  const findSnapshot = featureSnapshotPinning(scope, {
    model,
    featureTable: props.featureTable,
    workGroupName: props.workGroupName,
    states: S,
    paths: P,
    noFeatureDataError: TRAINING_ERRORS.noFeatureData,
    statementTimeout: props.statementTimeout,
    callTimeout: props.callTimeout,
    failed: runFailed,
    pinned: unloads[0]!,
  });

  const runFolder = (suffix: string): string =>
    sfn.JsonPath.format(`s3://${props.auditBucketName}/${props.runsPrefix}{}/${suffix}`, sfn.JsonPath.stringAt(P.runId));
  const runKey = (suffix: string): string => sfn.JsonPath.format(`${props.runsPrefix}{}${suffix}`, sfn.JsonPath.stringAt(P.runId));
  const nameRunFiles = new sfn.Pass(scope, S.nameRunFiles, {
    parameters: {
      trainingSet: runFolder('training-set/'),
      train: runFolder(trainingSetFolder('train')),
      validation: runFolder(trainingSetFolder('validation')),
      output: runFolder('model/'),
      metricsKey: runKey(`/${TRAINING_METRICS_FILE}`),
      metricsDocument: runFolder(TRAINING_METRICS_FILE),
      recordKey: sfn.JsonPath.format(`${props.recordsPrefix}{}/${props.recordFile}`, sfn.JsonPath.stringAt(P.runId)),
    },
    resultPath: P.files,
  }).next(findSnapshot);
  const prepareRun = new sfn.Pass(scope, S.prepareRun, {
    parameters: {
      id: sfn.JsonPath.uuid(),
      startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      unreported: [...new Set(model.thresholds.map((threshold) => threshold.metric))].map((metric) => ({ MetricName: metric, Value: UNREPORTED_METRIC })),
    },
    resultPath: P.run,
  });
  const startLineage = startLineageRun(
    scope,
    S.startLineageRun,
    lineagePaths,
    { datasets: trainingDatasets(model, props.identity, props.group), job: trainingJob(model, props.identity) },
    sfn.JsonPath.stringAt(P.runId),
  ).next(lineageEvent(S.writeLineageStart, { eventType: 'START' }, nameRunFiles));
  return prepareRun.next(startLineage);
}

function outcome(status: TrainingOutcome): { status: TrainingOutcome } {
  return { status };
}

function passes(threshold: MetricThreshold, path: string): sfn.Condition {
  switch (threshold.operator) {
    case '>=':
      return sfn.Condition.numberGreaterThanEquals(path, threshold.value);
    case '>':
      return sfn.Condition.numberGreaterThan(path, threshold.value);
    case '<=':
      return sfn.Condition.numberLessThanEquals(path, threshold.value);
    case '<':
      return sfn.Condition.numberLessThan(path, threshold.value);
  }
}

/**
 * Athena INSERT of the run's row into `ml_runs`, read from the record just written. Only the start
 * is retried: a second INSERT of a run that was inserted would add its row twice.
 */
function trackRun(scope: Construct, props: TrainingStateGraphProps, id: string): tasks.AthenaStartQueryExecution {
  return mlStatementTask(scope, id, mlRunsInsertStatement(props.runsTable, props.recordsTable, P.runId), props);
}

/** S3 PutObject of the run record: what every run says, plus `fields`. Safe to repeat, so retried like notifications. */
function putRunRecord(scope: Construct, props: TrainingStateGraphProps, id: string, fields: Record<string, unknown>): tasks.CallAwsService {
  const { model } = props;
  return withRetry(
    new tasks.CallAwsService(scope, id, {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: props.auditBucketName,
        Key: sfn.JsonPath.stringAt(FILES.recordKey),
        Body: {
          runId: sfn.JsonPath.stringAt(P.runId),
          model: model.id,
          group: props.group,
          execution: sfn.JsonPath.executionId,
          startedAt: sfn.JsonPath.stringAt(P.startedAt),
          parameters: { objective: model.algorithm.objective, hyperparameters: props.hyperparameters },
          featureModel: model.featureModel,
          contractVersions: props.contractVersions,
          trainingSet: sfn.JsonPath.stringAt(FILES.trainingSet),
          thresholds: model.thresholds.map(({ metric, operator, value }) => `${metric} ${operator} ${value}`),
          ...fields,
        },
        ContentType: 'application/json',
      },
      iamResources: ['*'],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.notification,
  );
}
