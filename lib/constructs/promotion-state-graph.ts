/**
 * The state graph of an ML model's promotion (see `ModelPromotion`), started by the approval of a
 * version. It describes the version to SageMaker and goes on only with the number and ARN
 * SageMaker answers (an execution's input is whatever StartExecution was given: none of it reaches
 * a statement), and only while SageMaker still answers it approved. A version already recorded as
 * the environment's ends there (a repeated event). Otherwise it creates a SageMaker model from the
 * version's inference container, unloads the feature table at its newest snapshot, scores it with
 * a batch transform job (`.sync`), merges the scores into the model's predictions table in place of
 * any earlier attempt's, and records the version as the environment's LAST, so a promotion that
 * failed anywhere is promoted again when its event is delivered again. JSONPath only, a timeout on
 * every Task, state names from `PROMOTION_STATES`, which the offline runtime overrides by.
 */
import { Aws, type Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { MlModel } from '../ml/model.ts';
import { INFERENCE_DATA_PROCESSING, INFERENCE_INPUT_CONTENT_TYPE, inferenceUnloadStatement, predictionsMergeStatement } from '../ml/prediction-queries.ts';
import { PARAMETER_NOT_FOUND, PROMOTED_APPROVAL, PROMOTION_ERRORS, PROMOTION_PATHS as P, PROMOTION_STATES as S } from '../ml/promotion-states.ts';
import type { FeatureTable } from '../ml/training-queries.ts';
import type { TableColumn } from '../pipeline/iceberg-schema-change.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { featureSnapshotPinning } from './feature-snapshot-pinning.ts';
import { mlFailureAlert } from './ml-failure-alert.ts';
import { mlStatementTask } from './ml-statement-task.ts';
import { withRetry } from './task-retry.ts';

export interface PromotionStateGraphProps {
  readonly model: MlModel;
  readonly featureTable: FeatureTable;
  readonly predictionsTable: FeatureTable;
  /** The external table over the transform jobs' output, partitioned by run id. */
  readonly outputTable: FeatureTable;
  readonly keyColumns: readonly TableColumn[];
  /** The SSM parameter naming the version the environment serves. */
  readonly currentVersionParameter: string;
  /** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group in lowercase>/`: a version's ARN is it and the number. */
  readonly versionArnPrefix: string;
  readonly workGroupName: string;
  readonly auditBucketName: string;
  /** `ml/<domain>/<model>/predictions/`: each run's input and output folders are under it. */
  readonly runsPrefix: string;
  /** Every SageMaker model and transform job name is `<prefix>-<run id>`. */
  readonly namePrefix: string;
  /** The role SageMaker serves the model with. */
  readonly inferenceRoleArn: string;
  /** Encrypts the transform job's volume and output. */
  readonly key: kms.IKey;
  readonly instanceType: string;
  readonly alertTopic: sns.ITopic;
  /** One UNLOAD or INSERT statement. */
  readonly statementTimeout: Duration;
  /** The transform job. */
  readonly transformTimeout: Duration;
  /** Every other Task: one API call. */
  readonly callTimeout: Duration;
}

/** Builds the states under `scope` and returns the first one. */
export function promotionStateGraph(scope: Construct, props: PromotionStateGraphProps): sfn.IChainable {
  const { model } = props;
  const failing = { resultPath: P.failure };
  const call = sfn.Timeout.duration(props.callTimeout);
  // The role's policy is written out in full by ModelPromotion.
  const sdk = (id: string, service: string, action: string, parameters: Record<string, unknown>, result?: { selector: Record<string, unknown>; path: string }) =>
    new tasks.CallAwsService(scope, id, {
      service,
      action,
      parameters,
      iamResources: ['*'],
      ...(result === undefined ? { resultPath: sfn.JsonPath.DISCARD } : { resultSelector: result.selector, resultPath: result.path }),
      taskTimeout: call,
    });

  const alertFailed = mlFailureAlert(scope, {
    model,
    alertTopic: props.alertTopic,
    alert: 'PromotionFailed',
    subject: 'Promotion failed',
    alertState: S.alertFailed,
    failState: S.promotionFailed,
    error: PROMOTION_ERRORS.failed,
    cause: `Promotion of ${model.id} failed; the alert and the execution history name the error`,
    run: { modelPackageArn: sfn.JsonPath.stringAt(P.eventPackageArn) },
    failurePath: P.failure,
    callTimeout: props.callTimeout,
  });

  const promoted = new sfn.Succeed(scope, S.promoted);
  const recordCurrentVersion = withRetry(
    sdk(S.recordCurrentVersion, 'ssm', 'putParameter', {
      Name: props.currentVersionParameter,
      Value: sfn.JsonPath.stringAt(P.modelPackageArn),
      Type: 'String',
      Overwrite: true,
    }),
    RETRY_POLICIES.notification,
  )
    .addCatch(alertFailed, failing)
    .next(promoted);
  const merge = predictionsMergeStatement(props.predictionsTable, props.outputTable, props.keyColumns, {
    modelPackageArn: P.modelPackageArn,
    modelVersion: P.modelVersion,
    snapshotId: P.snapshotId,
    runId: P.runId,
    predictedAt: P.startedAt,
  });
  // Two executions of one version at once (EventBridge delivers at least once) both get here: each
  // MERGE is one Iceberg commit, and the later of two that read the same snapshot fails Iceberg's
  // check for data files added since (its ON clause could match any), so that execution fails and
  // alerts while the other records the version; a delivery after either finds it recorded. Run one
  // after the other, the second replaces the first's rows: never twice the version's rows.
  const insertPredictions = mlStatementTask(scope, S.insertPredictions, merge, props)
    .addCatch(alertFailed, failing)
    .next(recordCurrentVersion);

  // The L2 task has no DataProcessing (the join of output to input), so the state is written out.
  const transform = new sfn.CustomState(scope, S.transform, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createTransformJob.sync`,
      Parameters: {
        'TransformJobName.$': sfn.JsonPath.format(`${props.namePrefix}-{}`, sfn.JsonPath.stringAt(P.runId)),
        'ModelName.$': sfn.JsonPath.format(`${props.namePrefix}-{}`, sfn.JsonPath.stringAt(P.runId)),
        TransformInput: {
          ContentType: INFERENCE_INPUT_CONTENT_TYPE,
          CompressionType: 'Gzip',
          SplitType: 'Line',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': `${P.files}.input` } },
        },
        TransformOutput: { 'S3OutputPath.$': `${P.files}.output`, AssembleWith: 'Line', Accept: INFERENCE_INPUT_CONTENT_TYPE, KmsKeyId: props.key.keyArn },
        TransformResources: { InstanceCount: 1, InstanceType: `ml.${props.instanceType}`, VolumeKmsKeyId: props.key.keyArn },
        DataProcessing: { ...INFERENCE_DATA_PROCESSING },
      },
      ResultPath: null,
      TimeoutSeconds: props.transformTimeout.toSeconds(),
    },
  });
  // Not retried: a second CreateTransformJob under the same name is refused.
  transform.addCatch(alertFailed, failing).next(insertPredictions);

  const unloadFeatures = mlStatementTask(scope, S.unloadFeatures, inferenceUnloadStatement(model, props.featureTable, { snapshotId: P.snapshotId, inputUri: `${P.files}.input` }), props)
    .addCatch(alertFailed, failing)
    .next(transform);

  const findSnapshot = featureSnapshotPinning(scope, {
    model,
    featureTable: props.featureTable,
    workGroupName: props.workGroupName,
    states: S,
    paths: P,
    noFeatureDataError: PROMOTION_ERRORS.noFeatureData,
    statementTimeout: props.statementTimeout,
    callTimeout: props.callTimeout,
    failed: alertFailed,
    pinned: unloadFeatures,
  });

  // The run id is new for every execution, so a promotion delivered again creates its model and
  // job under names of its own: SageMaker refuses a name taken, even by a failed attempt's model.
  const createModel = withRetry(
    sdk(S.createModel, 'sagemaker', 'createModel', {
      ModelName: sfn.JsonPath.format(`${props.namePrefix}-{}`, sfn.JsonPath.stringAt(P.runId)),
      ExecutionRoleArn: props.inferenceRoleArn,
      PrimaryContainer: { Image: sfn.JsonPath.stringAt(P.image), ModelDataUrl: sfn.JsonPath.stringAt(P.modelDataUrl) },
      EnableNetworkIsolation: true,
    }),
    RETRY_POLICIES.notification,
  )
    .addCatch(alertFailed, failing)
    .next(findSnapshot);

  const alreadyPromoted = new sfn.Succeed(scope, S.alreadyPromoted, { comment: 'The environment serves this version already: a repeated approval event.' });
  const checkCurrentVersion = new sfn.Choice(scope, S.checkCurrentVersion)
    .when(sfn.Condition.stringEqualsJsonPath(P.currentVersion, P.modelPackageArn), alreadyPromoted)
    .otherwise(createModel);
  const noCurrentVersion = new sfn.Pass(scope, S.noCurrentVersion, { parameters: { value: '' }, resultPath: P.current }).next(checkCurrentVersion);
  const readCurrentVersion = sdk(S.readCurrentVersion, 'ssm', 'getParameter', { Name: props.currentVersionParameter }, {
    selector: { value: sfn.JsonPath.stringAt('$.Parameter.Value') },
    path: P.current,
  });
  // States.TaskFailed matches SSM's errors too: a parameter that does not exist is not retried.
  readCurrentVersion.addRetry({ errors: [PARAMETER_NOT_FOUND], maxAttempts: 0 });
  withRetry(readCurrentVersion, RETRY_POLICIES.notification);
  readCurrentVersion.addCatch(noCurrentVersion, { errors: [PARAMETER_NOT_FOUND], resultPath: sfn.JsonPath.DISCARD });
  readCurrentVersion.addCatch(alertFailed, failing).next(checkCurrentVersion);

  const versionRefused = new sfn.Pass(scope, S.versionRefused, {
    parameters: {
      Error: PROMOTION_ERRORS.versionRefused,
      Cause: `DescribeModelPackage did not answer a numbered version of ${model.id}'s group that is ${PROMOTED_APPROVAL}: nothing of it is used`,
    },
    resultPath: P.failure,
  }).next(alertFailed);
  // The statements quote the ARN and the number: a number, and the ARN SageMaker gives it, hold no
  // quote. The approval is the registry's now: EventBridge may deliver an approval late or twice,
  // after the version was rejected, and a rejected version must not become the environment's.
  const checkVersion = new sfn.Choice(scope, S.checkVersion)
    .when(
      sfn.Condition.and(
        sfn.Condition.isNumeric(P.modelVersion),
        sfn.Condition.stringEqualsJsonPath(P.modelPackageArn, P.expectedArn),
        sfn.Condition.stringEquals(P.approval, PROMOTED_APPROVAL),
      ),
      readCurrentVersion,
    )
    .otherwise(versionRefused);
  const describeVersion = withRetry(
    sdk(S.describeVersion, 'sagemaker', 'describeModelPackage', { ModelPackageName: sfn.JsonPath.stringAt(P.eventPackageArn) }, {
      selector: {
        arn: sfn.JsonPath.stringAt('$.ModelPackageArn'),
        number: sfn.JsonPath.numberAt('$.ModelPackageVersion'),
        expectedArn: sfn.JsonPath.format(`${props.versionArnPrefix}{}`, sfn.JsonPath.stringAt('$.ModelPackageVersion')),
        approval: sfn.JsonPath.stringAt('$.ModelApprovalStatus'),
        image: sfn.JsonPath.stringAt('$.InferenceSpecification.Containers[0].Image'),
        modelDataUrl: sfn.JsonPath.stringAt('$.InferenceSpecification.Containers[0].ModelDataUrl'),
      },
      path: P.version,
    }),
    RETRY_POLICIES.notification,
  )
    .addCatch(alertFailed, failing)
    .next(checkVersion);

  const runFolder = (suffix: string): string =>
    sfn.JsonPath.format(`s3://${props.auditBucketName}/${props.runsPrefix}{}/${suffix}`, sfn.JsonPath.stringAt(P.runId));
  const prepare = new sfn.Pass(scope, S.preparePromotion, {
    parameters: { id: sfn.JsonPath.uuid(), startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime') },
    resultPath: P.run,
  });
  const nameFiles = new sfn.Pass(scope, S.nameRunFiles, {
    parameters: { input: runFolder('input/'), output: runFolder('output/') },
    resultPath: P.files,
  });
  return prepare.next(nameFiles).next(describeVersion);
}
