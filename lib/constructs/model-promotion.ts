import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  athenaResultsPrefix,
  batchInferencePrefix,
  currentModelVersionParameterName,
  glueDatabaseName,
  goldPrefix,
  inferenceOutputTableName,
  inferenceRunsPrefix,
  mlModelPrefix,
  modelPackageGroupName,
  predictionsTableName,
  promotionLogGroupName,
  promotionStateMachineName,
  s3Uri,
} from '../config/names.ts';
import { MODEL_PACKAGE_STATE_CHANGE, SAGEMAKER_EVENT_SOURCE } from '../ml/model-package-state-change.ts';
import { INFERENCE_OUTPUT_COLUMNS, predictionKeyColumns, predictionsCreateStatement, predictionsTableColumns } from '../ml/prediction-queries.ts';
import { PROMOTED_APPROVAL } from '../ml/promotion-states.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import { athenaDdlType } from '../transforms/gold-table.ts';
import { athenaQueryStatements } from './athena-query-statements.ts';
import { IcebergTable } from './iceberg-table.ts';
import { type MlModelDomainProps, mlModelMachine } from './ml-model-machine.ts';
import { promotionStateGraph } from './promotion-state-graph.ts';
import { followJobsStatement, jobKeyStatements, passRoleToSageMaker, sageMakerJobRoleStatements } from './sagemaker-job-grants.ts';
import { bucketArnOf, ZonePrefix } from './zone-prefix.ts';

export interface ModelPromotionProps extends MlModelDomainProps {
  /** The feature table's columns as the build infers them: the key columns' types come from them. */
  readonly featureColumns: readonly LakeColumn[];
  /** The domain's `AthenaDdlProvider` service token: it creates the predictions table. */
  readonly tableServiceToken: string;
  /** SageMaker's transform instance type, without `ml.`. @default m5.xlarge */
  readonly instanceType?: string;
  /** How long the transform job may run. @default Duration.hours(2) */
  readonly transformTimeout?: Duration;
  /** How long one UNLOAD or INSERT statement may run. @default Duration.minutes(30) */
  readonly statementTimeout?: Duration;
  /** Longest execution. @default Duration.hours(4) */
  readonly timeout?: Duration;
}

/** Timeout of the Tasks that make one API call. */
const CALL_TIMEOUT = Duration.seconds(60);

/**
 * The promotion of one ML model's approved versions (issue 11 item 2): an EventBridge rule on the
 * approval of a version in the model's group starts a Standard state machine
 * (`promotionStateGraph`) that scores the feature table at its newest snapshot with a batch
 * transform job, merges the scores into the gold Iceberg table `<model>_predictions` (every row
 * naming the version and the snapshot) and last records the version as the environment's current
 * one (an SSM parameter; a repeated event ends there). Two roles, each scoped to this model: the
 * state machine's and the one SageMaker serves the model with.
 */
export class ModelPromotion extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly role: iam.Role;
  readonly inferenceRole: iam.Role;
  readonly predictionsTable: IcebergTable;
  readonly outputTable: glue.CfnTable;
  readonly logGroup: logs.LogGroup;
  readonly trigger: events.Rule;

  constructor(scope: Construct, id: string, props: ModelPromotionProps) {
    super(scope, id);
    const { identity, model } = props;
    const stack = Stack.of(this);
    const groupName = modelPackageGroupName(identity, model.domain, model.name);
    const [featureDomain, featureTableName] = model.featureModel.split('/') as [string, string];
    const featureTable = { database: glueDatabaseName(identity, featureDomain), table: featureTableName };
    const database = glueDatabaseName(identity, model.domain);
    const predictions = { database, table: predictionsTableName(model.name) };
    const output = { database, table: inferenceOutputTableName(model.name) };
    const featureFiles = new ZonePrefix(props.goldBucketName, goldPrefix(featureDomain, featureTableName));
    const predictionFiles = new ZonePrefix(props.goldBucketName, goldPrefix(model.domain, predictions.table));
    const inferenceRuns = new ZonePrefix(props.auditBucketName, inferenceRunsPrefix(model.domain, model.name));
    const queryResults = new ZonePrefix(props.athenaResultsBucketName, athenaResultsPrefix(model.domain));
    const namePrefix = batchInferencePrefix(identity, model.domain, model.name);
    const parameterName = currentModelVersionParameterName(identity, model.domain, model.name);

    const featureColumns = props.featureColumns.map((column) => {
      const type = athenaDdlType(column.type);
      if (type === undefined) throw new Error(`ML model '${model.id}': feature column '${column.name}' has DuckDB type ${column.type}, which a gold table cannot hold`);
      return { name: column.name, type };
    });
    const keyColumns = predictionKeyColumns(model, featureColumns);
    const predictionColumns = predictionsTableColumns(model, featureColumns);
    this.predictionsTable = new IcebergTable(this, 'PredictionsTable', {
      serviceToken: props.tableServiceToken,
      spec: {
        ...predictions,
        workGroup: props.workGroupName,
        createStatement: predictionsCreateStatement(predictions, s3Uri(props.goldBucketName, predictionFiles.prefix), predictionColumns),
        columns: predictionColumns,
      },
    });

    // The transform jobs' output, one folder per run, read by run id alone (injected projection).
    const runOutput = `${s3Uri(props.auditBucketName, inferenceRuns.prefix)}\${${INFERENCE_OUTPUT_COLUMNS.run}}/output/`;
    this.outputTable = new glue.CfnTable(this, 'InferenceOutputTable', {
      catalogId: stack.account,
      databaseName: database,
      tableInput: {
        name: output.table,
        description: `Batch transform output of ML model ${model.id}: the key field and the score per row, by run id`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'csv',
          'projection.enabled': 'true',
          [`projection.${INFERENCE_OUTPUT_COLUMNS.run}.type`]: 'injected',
          'storage.location.template': runOutput,
        },
        partitionKeys: [{ name: INFERENCE_OUTPUT_COLUMNS.run, type: 'string' }],
        storageDescriptor: {
          columns: [
            { name: INFERENCE_OUTPUT_COLUMNS.key, type: 'string' },
            { name: INFERENCE_OUTPUT_COLUMNS.score, type: 'double' },
          ],
          location: s3Uri(props.auditBucketName, inferenceRuns.prefix),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          // The key field is base64url and the score a number: no quoting to honour.
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', parameters: { 'field.delim': ',' } },
        },
      },
    });

    // SageMaker's role for the model and its transform jobs: the model's artifacts and each run's input in, its output out.
    const artifacts = `${bucketArnOf(props.auditBucketName)}/${mlModelPrefix(model.domain, model.name)}runs/*/model/*`;
    const inputs = `${inferenceRuns.bucketArn}/${inferenceRuns.prefix}*/input/*`;
    const outputs = `${inferenceRuns.bucketArn}/${inferenceRuns.prefix}*/output/*`;
    const jobGrants = sageMakerJobRoleStatements(stack, props.key, 'Transform');
    const transformLogs = jobGrants.jobLogs;
    this.inferenceRole = new iam.Role(this, 'InferenceRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `SageMaker batch inference of ML model ${model.id} in ${identity.environment}`,
      inlinePolicies: {
        Infer: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'ReadModelArtifacts', actions: ['s3:GetObject'], resources: [artifacts] }),
            new iam.PolicyStatement({ sid: 'ReadInferenceInput', actions: ['s3:GetObject'], resources: [inputs] }),
            new iam.PolicyStatement({
              sid: 'ListInferenceInput',
              actions: ['s3:ListBucket'],
              resources: [inferenceRuns.bucketArn],
              conditions: { StringLike: { 's3:prefix': [`${inferenceRuns.prefix}*/input/*`] } },
            }),
            new iam.PolicyStatement({ sid: 'WriteInferenceOutput', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [outputs] }),
            ...jobGrants.statements,
          ],
        }),
      },
    });

    const sagemakerArn = (resource: string, resourceName: string): string => stack.formatArn({ service: 'sagemaker', resource, resourceName });
    // SageMaker writes names in ARNs in lowercase.
    const versionArnPrefix = sagemakerArn('model-package', `${groupName.toLowerCase()}/`);
    const stateMachineName = promotionStateMachineName(identity, model.domain, model.name);
    const transformTimeout = props.transformTimeout ?? Duration.hours(2);
    const definition = promotionStateGraph(new Construct(this, 'States'), {
      model,
      featureTable,
      predictionsTable: predictions,
      outputTable: output,
      keyColumns,
      currentVersionParameter: parameterName,
      versionArnPrefix,
      workGroupName: props.workGroupName,
      auditBucketName: props.auditBucketName,
      runsPrefix: inferenceRuns.prefix,
      namePrefix,
      inferenceRoleArn: this.inferenceRole.roleArn,
      key: props.key,
      instanceType: props.instanceType ?? 'm5.xlarge',
      alertTopic: props.alertTopic,
      statementTimeout: props.statementTimeout ?? Duration.minutes(30),
      transformTimeout,
      callTimeout: CALL_TIMEOUT,
    });

    const glueArn = (resource: string): string => stack.formatArn({ service: 'glue', resource });
    const models = sagemakerArn('model', `${namePrefix}-*`);
    const transformJobs = sagemakerArn('transform-job', `${namePrefix}-*`);
    const packages = `${versionArnPrefix}*`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'TrackCurrentVersion',
        actions: ['ssm:GetParameter', 'ssm:PutParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) })],
      }),
      new iam.PolicyStatement({ sid: 'DescribeVersions', actions: ['sagemaker:DescribeModelPackage'], resources: [packages] }),
      new iam.PolicyStatement({ sid: 'CreateModels', actions: ['sagemaker:CreateModel'], resources: [models] }),
      new iam.PolicyStatement({
        sid: 'RunTransformJobs',
        actions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
        resources: [transformJobs],
      }),
      passRoleToSageMaker('PassInferenceRole', this.inferenceRole),
      followJobsStatement(stack, 'Transform'),
      ...athenaQueryStatements(stack, 'RunInferenceQueries', props.workGroupName),
      new iam.PolicyStatement({
        sid: 'ReadInferenceTables',
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [
          glueArn('catalog'),
          glueArn(`database/${featureTable.database}`),
          glueArn(`table/${featureTable.database}/${featureTable.table}`),
          glueArn(`database/${database}`),
          glueArn(`table/${database}/${output.table}`),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'WritePredictionsTable',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'],
        resources: [glueArn('catalog'), glueArn(`database/${database}`), glueArn(`table/${database}/${predictions.table}`)],
      }),
      featureFiles.grantObjects('ReadFeatureFiles', { read: true }),
      predictionFiles.grantObjects('WritePredictionFiles', { read: true, write: true, delete: true, multipartUploads: 'abortAndListParts' }),
      // Athena reads the transform output with the machine's credentials; the output is SageMaker's
      // to write (the inference role), since InsertPredictions trusts it as the job's scores.
      inferenceRuns.grantObjects('ReadInferenceFiles', { read: true }),
      // Athena UNLOADs each run's input with the machine's credentials: the machine's only write there.
      new iam.PolicyStatement({
        sid: 'WriteInferenceInput',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [inputs],
      }),
      queryResults.grantObjects('WriteQueryResults', { read: true, write: true, multipartUploads: 'abortAndListParts' }),
      // One listing per bucket, each at its own prefixes: one statement over all three buckets would
      // let every prefix be listed in every bucket.
      ZonePrefix.listObjects('ListTableFiles', [featureFiles, predictionFiles]),
      inferenceRuns.listObjects('ListInferenceFiles'),
      queryResults.listObjects('ListQueryResults'),
      ZonePrefix.locateBuckets('LocateBuckets', [props.goldBucketName, props.auditBucketName, props.athenaResultsBucketName]),
      ...jobKeyStatements(props.key, 'Transform'),
    ];
    ({ role: this.role, logGroup: this.logGroup, stateMachine: this.stateMachine } = mlModelMachine(this, {
      stateMachineName,
      logGroupName: promotionLogGroupName(identity, model.domain, model.name),
      logs: props,
      roleDescription: `Promotion of ML model ${model.id} in ${identity.environment}`,
      policyName: 'Promote',
      statements,
      alertTopic: props.alertTopic,
      comment: `Promotes an approved version of ML model ${model.id}: records it as current and scores ${model.featureModel} into ${predictions.table}`,
      definition,
      timeout: props.timeout ?? Duration.hours(4),
    }));
    // An approval before the predictions table exists would fail on its INSERT.
    this.stateMachine.node.addDependency(this.predictionsTable, this.outputTable);

    this.trigger = new events.Rule(this, 'Trigger', {
      description: `Promotes each version of ${model.id} approved in ${groupName}`,
      eventPattern: {
        source: [SAGEMAKER_EVENT_SOURCE],
        detailType: [MODEL_PACKAGE_STATE_CHANGE],
        detail: { ModelPackageGroupName: [groupName], ModelApprovalStatus: [PROMOTED_APPROVAL] },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });

    Validations.of(this.role).acknowledge(
      { id: wildcardFinding(this, packages), reason: `Describes only versions of ${model.id}'s Model Package Group, numbered by SageMaker.` },
      { id: wildcardFinding(this, models), reason: `Creates only ${model.id}'s SageMaker models, named <prefix>-<run id>.` },
      { id: wildcardFinding(this, transformJobs), reason: `Starts and follows only ${model.id}'s transform jobs, named <prefix>-<run id>.` },
      { id: wildcardFinding(this, featureFiles.objectsArn), reason: `Reads only the files of ${model.id}'s feature table; Iceberg names them.` },
      { id: wildcardFinding(this, predictionFiles.objectsArn), reason: `Writes only the files of ${model.id}'s predictions table; Iceberg names them.` },
      { id: wildcardFinding(this, inferenceRuns.objectsArn), reason: `Athena reads each run's output under ${model.id}'s own predictions prefix; names hold the run id.` },
      { id: wildcardFinding(this, inputs), reason: `Athena UNLOADs each run's input into ${model.id}'s own run folder, named by run id, in files Athena names.` },
      { id: wildcardFinding(this, queryResults.objectsArn), reason: 'Athena writes the statements\' results under the domain\'s results prefix, named by query id.' },
      { id: wildcardFinding(this, '*'), reason: 'The log delivery actions and X-Ray support no resource-level permissions.' },
    );
    Validations.of(this.inferenceRole).acknowledge(
      { id: wildcardFinding(this, artifacts), reason: `SageMaker reads the model artifacts of ${model.id}'s runs, one folder per run id.` },
      { id: wildcardFinding(this, inputs), reason: `SageMaker reads the input of ${model.id}'s batch inference runs, one folder per run id.` },
      { id: wildcardFinding(this, outputs), reason: `SageMaker writes the output of ${model.id}'s batch inference runs, one folder per run id.` },
      { id: wildcardFinding(this, transformLogs), reason: 'SageMaker names each transform job\'s log stream.' },
      { id: wildcardFinding(this, '*'), reason: 'cloudwatch:PutMetricData supports no resource-level permissions; it is limited to the transform namespace by condition.' },
    );
  }
}
