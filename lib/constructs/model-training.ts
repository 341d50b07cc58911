import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { registerEnvironmentVariables } from '../../lambdas/register-model/settings.ts';
import { lineagePrefix } from '../ingest/layout.ts';
import {
  athenaResultsPrefix,
  glueDatabaseName,
  goldPrefix,
  ML_RUNS_TABLE,
  mlModelPrefix,
  modelPackageGroupName,
  registerFunctionName,
  s3Uri,
  TRAINING_METRICS_FILE,
  TRAINING_RUN_RECORD_FILE,
  trainingJobPrefix,
  trainingLogGroupName,
  trainingRunRecordsPrefix,
  trainingRunRecordsTableName,
  trainingStateMachineName,
} from '../config/names.ts';
import type { ModelApproval } from '../config/settings.ts';
import { approvalIn } from '../ml/approval.ts';
import type { MlModel } from '../ml/model.ts';
import { RUN_RECORDS_PARTITION, runRecordsTableColumns } from '../ml/run-tracking-queries.ts';
import { trainingHyperparameters } from '../ml/training-hyperparameters.ts';
import { xgboostImageUri } from '../ml/xgboost-image.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../pipeline/dataset-loaded-event.ts';
import { athenaQueryStatements } from './athena-query-statements.ts';
import { HANDLER, handlerCode } from './lambda-code.ts';
import { type MlModelDomainProps, mlModelMachine } from './ml-model-machine.ts';
import { RETAINED } from './retained.ts';
import { functionLogGroup } from './function-log-group.ts';
import { followJobsStatement, jobKeyStatements, passRoleToSageMaker, sageMakerJobRoleStatements } from './sagemaker-job-grants.ts';
import { trainingStateGraph } from './training-state-graph.ts';
import { ZonePrefix } from './zone-prefix.ts';

const REGISTER_ENTRY_POINT = 'lambdas/register-model/index.ts';

export interface ModelTrainingProps extends MlModelDomainProps {
  /** The environment's `modelApproval`; the stricter of it and the spec's decides (`approvalIn`). */
  readonly environmentApproval: ModelApproval;
  /** Contract version per dataset the feature model reads (`featureContractVersions`). */
  readonly contractVersions: Readonly<Record<string, string>>;
  /** Recorded with every registered version; `-c gitRevision=$(git rev-parse HEAD)` at deploy. */
  readonly gitRevision: string;
  /** SageMaker's training instance type, without `ml.`. @default m5.xlarge */
  readonly instanceType?: string;
  /** @default Size.gibibytes(30) */
  readonly volumeSize?: Size;
  /** The training job's stopping condition. @default Duration.hours(2) */
  readonly maxTrainingTime?: Duration;
  /** How long one snapshot or UNLOAD statement may run. @default Duration.minutes(30) */
  readonly statementTimeout?: Duration;
  /** Longest execution. @default Duration.hours(6) */
  readonly timeout?: Duration;
}

/** Timeout of the Tasks that make one API call (results, metrics, register, record, alert). */
const CALL_TIMEOUT = Duration.seconds(60);

/**
 * One ML model's training (issue 11): its SageMaker Model Package Group, kept like the other
 * stateful resources, and a Standard state machine (`trainingStateGraph`) started after each build
 * that published its feature model, or on the spec's schedule. Each run pins the feature table's
 * snapshot, keeps its training set and model under `ml/<domain>/<model>/runs/<run id>/` and its
 * record under `records/<run id>/` beside it in the audit zone, tracks it in the domain's
 * `ml_runs` through the records' external table, and registers a version when every threshold
 * passes. Three roles, each scoped to this model: the state machine's, SageMaker's training role
 * (it reads only training sets and writes only model artifacts), and the register function's (its
 * group only).
 */
export class ModelTraining extends Construct {
  readonly model: MlModel;
  readonly group: sagemaker.CfnModelPackageGroup;
  readonly stateMachine: sfn.StateMachine;
  readonly role: iam.Role;
  readonly trainingRole: iam.Role;
  readonly registerFunction: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly trigger: events.Rule;
  /** The external table over this model's run records, from which each run's `ml_runs` row is inserted. */
  readonly recordsTable: glue.CfnTable;

  constructor(scope: Construct, id: string, props: ModelTrainingProps) {
    super(scope, id);
    const { identity, model } = props;
    this.model = model;
    const stack = Stack.of(this);
    const groupName = modelPackageGroupName(identity, model.domain, model.name);
    const [featureDomain, featureTable] = model.featureModel.split('/') as [string, string];
    const featureDatabase = glueDatabaseName(identity, featureDomain);
    const runs = new ZonePrefix(props.auditBucketName, mlModelPrefix(model.domain, model.name));
    const records = new ZonePrefix(props.auditBucketName, trainingRunRecordsPrefix(model.domain, model.name));
    const lineageEvents = new ZonePrefix(props.auditBucketName, lineagePrefix(model.domain, model.name));
    const database = glueDatabaseName(identity, model.domain);
    const runsTable = { database, table: ML_RUNS_TABLE };
    const recordsTable = { database, table: trainingRunRecordsTableName(model.name) };
    const runsTableFiles = new ZonePrefix(props.goldBucketName, goldPrefix(model.domain, ML_RUNS_TABLE));
    const featureFiles = new ZonePrefix(props.goldBucketName, goldPrefix(featureDomain, featureTable));
    const queryResults = new ZonePrefix(props.athenaResultsBucketName, athenaResultsPrefix(model.domain));
    const jobPrefix = trainingJobPrefix(identity, model.domain, model.name);
    const image = xgboostImageUri(identity.region);
    const removalPolicy = props.removalPolicy ?? RETAINED;

    this.group = new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: groupName,
      modelPackageGroupDescription: `Versions of ML model ${model.id} trained on ${model.featureModel} (${identity.environment})`,
      tags: [{ key: 'lakehouse:ml-model', value: model.id }],
    });
    this.group.applyRemovalPolicy(removalPolicy);

    // SageMaker's own role for the job: the run's training set in, its model artifact out.
    const trainingSets = `${runs.bucketArn}/${runs.prefix}runs/*/training-set/*`;
    const artifacts = `${runs.bucketArn}/${runs.prefix}runs/*/model/*`;
    // The machine writes these and nothing else of the model's folder: promotion's batch files
    // under predictions/ are trusted as transform output, and the artifacts are SageMaker's.
    const metricsFiles = `${runs.bucketArn}/${runs.prefix}runs/*/${TRAINING_METRICS_FILE}`;
    const recordFiles = `${records.bucketArn}/${records.prefix}*/${TRAINING_RUN_RECORD_FILE}`;
    const jobGrants = sageMakerJobRoleStatements(stack, props.key, 'Training');
    const trainingLogs = jobGrants.jobLogs;
    const trainingJobs = stack.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${jobPrefix}-*` });
    this.trainingRole = new iam.Role(this, 'TrainingRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `SageMaker training jobs of ML model ${model.id} in ${identity.environment}`,
      inlinePolicies: {
        Train: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'ReadTrainingSets', actions: ['s3:GetObject'], resources: [trainingSets] }),
            new iam.PolicyStatement({
              sid: 'ListTrainingSets',
              actions: ['s3:ListBucket'],
              resources: [runs.bucketArn],
              conditions: { StringLike: { 's3:prefix': [`${runs.prefix}runs/*/training-set/*`] } },
            }),
            new iam.PolicyStatement({ sid: 'WriteModelArtifacts', actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [artifacts] }),
            ...jobGrants.statements,
          ],
        }),
      },
    });

    const logGroup = functionLogGroup(this, 'RegisterLogs', registerFunctionName(identity, model.domain, model.name), { logRetention: props.logRetention, removalPolicy });
    const packages = stack.formatArn({ service: 'sagemaker', resource: 'model-package', resourceName: `${groupName.toLowerCase()}/*` });
    const registerRole = new iam.Role(this, 'RegisterRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Registers versions of ML model ${model.id} in ${identity.environment}`,
      inlinePolicies: {
        Register: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'RegisterVersions',
              actions: ['sagemaker:CreateModelPackage', 'sagemaker:DescribeModelPackage'],
              // SageMaker writes names in ARNs in lowercase.
              resources: [packages, stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: groupName.toLowerCase() })],
            }),
          ],
        }),
      },
    });
    logGroup.grantWrite(registerRole);
    this.registerFunction = new lambda.Function(this, 'Register', {
      functionName: registerFunctionName(identity, model.domain, model.name),
      description: `Registers a version of ML model ${model.id} that passed its thresholds`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      handler: HANDLER,
      code: handlerCode(REGISTER_ENTRY_POINT),
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: registerRole,
      logGroup,
      environment: registerEnvironmentVariables({
        group: groupName,
        featureTable: model.featureModel,
        contractVersions: props.contractVersions,
        gitRevision: props.gitRevision,
        image,
        approval: approvalIn(model, { modelApproval: props.environmentApproval }),
      }),
    });
    this.registerFunction.node.addDependency(this.group);

    // The run records, one folder per run read by run id alone (injected projection), in the JSON
    // SerDe that reads the same rows every time (Athena documents OpenX's as non-deterministic).
    this.recordsTable = new glue.CfnTable(this, 'RunRecordsTable', {
      catalogId: stack.account,
      databaseName: database,
      tableInput: {
        name: recordsTable.table,
        description: `Run records of ML model ${model.id}, one per training run, by run id`,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${RUN_RECORDS_PARTITION}.type`]: 'injected',
          'storage.location.template': `${s3Uri(props.auditBucketName, records.prefix)}\${${RUN_RECORDS_PARTITION}}/`,
        },
        partitionKeys: [{ name: RUN_RECORDS_PARTITION, type: 'string' }],
        storageDescriptor: {
          columns: runRecordsTableColumns(),
          location: s3Uri(props.auditBucketName, records.prefix),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });

    const stateMachineName = trainingStateMachineName(identity, model.domain, model.name);
    const maxTrainingTime = props.maxTrainingTime ?? Duration.hours(2);
    const definition = trainingStateGraph(new Construct(this, 'States'), {
      model,
      identity,
      group: groupName,
      featureTable: { database: featureDatabase, table: featureTable },
      workGroupName: props.workGroupName,
      auditBucketName: props.auditBucketName,
      runsPrefix: `${runs.prefix}runs/`,
      recordsPrefix: records.prefix,
      recordFile: TRAINING_RUN_RECORD_FILE,
      runsTable,
      recordsTable,
      trainingJobPrefix: jobPrefix,
      image,
      hyperparameters: trainingHyperparameters(model.algorithm),
      // Its inline policy is the whole grant: the task would add broader key grants of its own.
      trainingRole: this.trainingRole.withoutPolicyUpdates(),
      key: props.key,
      instanceType: props.instanceType ?? 'm5.xlarge',
      volumeSize: props.volumeSize ?? Size.gibibytes(30),
      maxTrainingTime,
      registerFunction: this.registerFunction,
      alertTopic: props.alertTopic,
      statementTimeout: props.statementTimeout ?? Duration.minutes(30),
      callTimeout: CALL_TIMEOUT,
      contractVersions: props.contractVersions,
    });

    const glueArn = (resource: string): string => stack.formatArn({ service: 'glue', resource });
    const statements = [
      ...athenaQueryStatements(stack, 'RunSnapshotQueries', props.workGroupName),
      new iam.PolicyStatement({
        sid: 'ReadFeatureTable',
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [glueArn('catalog'), glueArn(`database/${featureDatabase}`), glueArn(`table/${featureDatabase}/${featureTable}`)],
      }),
      featureFiles.grantObjects('ReadFeatureFiles', { read: true }),
      featureFiles.listObjects('ListFeatureFiles'),
      // Athena UNLOADs each run's training set with the machine's credentials.
      new iam.PolicyStatement({
        sid: 'WriteTrainingSets',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [trainingSets],
      }),
      new iam.PolicyStatement({ sid: 'WriteRunFiles', actions: ['s3:PutObject'], resources: [metricsFiles, recordFiles] }),
      lineageEvents.grantObjects('WriteLineageEvents', { write: true }),
      // UNLOAD lists its destination, a run's channel folder; Athena lists a run's record folder to
      // read it. Nothing else of the model's folder: promotion's batch files are not the machine's.
      new iam.PolicyStatement({
        sid: 'ListRunFiles',
        actions: ['s3:ListBucket'],
        resources: [runs.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${runs.prefix}runs/*/training-set/*`, records.listPattern] } },
      }),
      // Athena reads a run's record with the machine's own credentials to insert its ml_runs row.
      records.grantObjects('ReadRunRecords', { read: true }),
      new iam.PolicyStatement({
        sid: 'ReadRunRecordsTable',
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [glueArn('catalog'), glueArn(`database/${database}`), glueArn(`table/${database}/${recordsTable.table}`)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteRunsTable',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'],
        resources: [glueArn('catalog'), glueArn(`database/${database}`), glueArn(`table/${database}/${ML_RUNS_TABLE}`)],
      }),
      runsTableFiles.grantObjects('WriteRunsTableFiles', { read: true, write: true, delete: true, multipartUploads: 'abortAndListParts' }),
      runsTableFiles.listObjects('ListRunsTableFiles'),
      queryResults.grantObjects('WriteQueryResults', { read: true, write: true, multipartUploads: 'abortAndListParts' }),
      queryResults.listObjects('ListQueryResults'),
      ZonePrefix.locateBuckets('LocateBuckets', [props.goldBucketName, props.auditBucketName, props.athenaResultsBucketName]),
      ...jobKeyStatements(props.key, 'Training'),
      new iam.PolicyStatement({
        sid: 'RunTrainingJobs',
        actions: ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
        resources: [trainingJobs],
      }),
      passRoleToSageMaker('PassTrainingRole', this.trainingRole),
      followJobsStatement(stack, 'Training'),
      new iam.PolicyStatement({
        sid: 'InvokeRegister',
        actions: ['lambda:InvokeFunction'],
        resources: [this.registerFunction.functionArn],
      }),
    ];
    ({ role: this.role, logGroup: this.logGroup, stateMachine: this.stateMachine } = mlModelMachine(this, {
      stateMachineName,
      logGroupName: trainingLogGroupName(identity, model.domain, model.name),
      logs: props,
      roleDescription: `Training of ML model ${model.id} in ${identity.environment}`,
      policyName: 'Train',
      statements,
      alertTopic: props.alertTopic,
      comment: `Trains ML model ${model.id} on a pinned snapshot of ${model.featureModel} and registers it when it passes its thresholds`,
      definition,
      timeout: props.timeout ?? Duration.hours(6),
    }));

    this.trigger =
      model.trigger.kind === 'after-feature-build'
        ? new events.Rule(this, 'Trigger', {
            description: `Trains ${model.id} after each build that published ${model.featureModel}`,
            eventPattern: {
              source: [LAKEHOUSE_EVENT_SOURCE],
              detailType: [DATASET_LOADED_DETAIL_TYPE],
              detail: { dataset: [model.featureModel] },
            },
            targets: [new targets.SfnStateMachine(this.stateMachine)],
          })
        : new events.Rule(this, 'Trigger', {
            description: `Trains ${model.id} on its schedule`,
            schedule: events.Schedule.expression(model.trigger.expression),
            targets: [new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}) })],
          });

    this.acknowledgeFindings(model.id, { records, lineageEvents, runsTableFiles, featureFiles, queryResults, trainingSets, metricsFiles, recordFiles, artifacts, trainingLogs, trainingJobs, packages, registerRole });
  }

  private acknowledgeFindings(model: string, granted: {
    records: ZonePrefix;
    lineageEvents: ZonePrefix;
    runsTableFiles: ZonePrefix;
    featureFiles: ZonePrefix;
    queryResults: ZonePrefix;
    trainingSets: string;
    metricsFiles: string;
    recordFiles: string;
    artifacts: string;
    trainingLogs: string;
    trainingJobs: string;
    packages: string;
    registerRole: iam.Role;
  }): void {
    Validations.of(this.role).acknowledge(
      { id: wildcardFinding(this, granted.trainingSets), reason: `Athena UNLOADs each run's training set into ${model}'s run folder, named by run id, in files Athena names.` },
      { id: wildcardFinding(this, granted.metricsFiles), reason: `The machine writes each run's metrics file into ${model}'s run folder, named by run id.` },
      { id: wildcardFinding(this, granted.recordFiles), reason: `The machine writes each run's record into ${model}'s records folder, named by run id.` },
      { id: wildcardFinding(this, granted.records.objectsArn), reason: `Athena reads each run's record under ${model}'s own records prefix, one folder per run id.` },
      { id: wildcardFinding(this, granted.lineageEvents.objectsArn), reason: `Writes ${model}'s OpenLineage events under its own lineage prefix, named by run day, run id and event type.` },
      { id: wildcardFinding(this, granted.runsTableFiles.objectsArn), reason: `Athena writes ${model}'s runs into its domain's ml_runs table only; Iceberg names the files.` },
      { id: wildcardFinding(this, granted.featureFiles.objectsArn), reason: `Reads only the files of ${model}'s feature table; Iceberg names them.` },
      { id: wildcardFinding(this, granted.queryResults.objectsArn), reason: `Athena writes the snapshot query's results under the domain's results prefix, named by query id.` },
      { id: wildcardFinding(this, granted.trainingJobs), reason: `Starts and follows only ${model}'s training jobs, named <prefix>-<run id>.` },
      { id: wildcardFinding(this, '*'), reason: 'The log delivery actions and X-Ray support no resource-level permissions.' },
    );
    Validations.of(this.trainingRole).acknowledge(
      { id: wildcardFinding(this, granted.trainingSets), reason: `SageMaker reads the training sets of ${model}'s runs, one folder per run id.` },
      { id: wildcardFinding(this, granted.artifacts), reason: `SageMaker writes the model artifacts of ${model}'s runs, one folder per run id.` },
      { id: wildcardFinding(this, granted.trainingLogs), reason: 'SageMaker names each training job\'s log stream.' },
      { id: wildcardFinding(this, '*'), reason: 'cloudwatch:PutMetricData supports no resource-level permissions; it is limited to the training namespace by condition.' },
    );
    Validations.of(granted.registerRole).acknowledge(
      { id: wildcardFinding(this, granted.packages), reason: `Creates and reads only versions of ${model}'s Model Package Group, numbered by SageMaker.` },
      { id: wildcardFinding(this, '*'), reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.' },
    );
  }
}
