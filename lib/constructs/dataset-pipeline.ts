import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  athenaPipelineWorkgroupName,
  domainAlertTopicName,
  type EnvironmentIdentity,
  glueDatabaseName,
  pipelineLogGroupName,
  pipelineResultsPrefix,
  pipelineStateMachineName,
  silverPrefix,
  silverTableName,
  validatedPrefix,
  validatedTableName,
} from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { lineagePrefix } from '../ingest/layout.ts';
import { METRICS_NAMESPACE } from '../ingest/validation-metrics.ts';
import { loadStep, type LoadStep } from '../pipeline/load-step.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { announceStatement } from './dataset-loaded-announcement.ts';
import type { DatasetLockTable } from './dataset-lock.ts';
import { executionLogGroup, type ExecutionLogProps, executionTelemetryStatements, loggedAndTraced } from './execution-logs.ts';
import { pipelineStates } from './pipeline-states.ts';
import { stateMachineArns, stateMachinePrincipal } from './state-machine-arns.ts';
import { ZonePrefix } from './zone-prefix.ts';

/** The zone buckets a pipeline reads or writes, by name. */
export interface PipelineBuckets {
  readonly validated: string;
  readonly silver: string;
  readonly audit: string;
  readonly athenaResults: string;
}

export interface DatasetPipelineProps extends ExecutionLogProps {
  readonly dataset: Dataset;
  readonly identity: EnvironmentIdentity;
  /** The dataset's validator function, invoked with the execution input. */
  readonly validator: lambda.IFunction;
  /** Where the dataset's lock item lives. */
  readonly lockTable: DatasetLockTable;
  readonly buckets: PipelineBuckets;
  /** The platform key: zone buckets, Athena results and the domain's alert topic are encrypted with it. */
  readonly key: kms.IKey;
  /** Timeout of the `Validate` Task. @default Duration.minutes(15), Lambda's longest run */
  readonly validateTimeout?: Duration;
  /** Timeout of one `Load` query. @default Duration.minutes(30) */
  readonly loadTimeout?: Duration;
  /** Pause between two looks at a lock another execution holds. @default Duration.seconds(30) */
  readonly lockWaitInterval?: Duration;
  /** Looks at a held lock before the pipeline gives up and alerts. @default 120 */
  readonly maxLockWaits?: number;
  /** Loads started again after an Iceberg commit conflict. @default 5 */
  readonly maxCommitConflictRetries?: number;
  /**
   * Longest execution; must cover validation, the lock waits and every load attempt.
   * @default Duration.hours(6)
   */
  readonly timeout?: Duration;
}

/** Timeout of the Tasks that make one API call (lock, metrics, event, alerts). */
const CALL_TIMEOUT = Duration.seconds(30);

/**
 * A dataset's pipeline: a Standard state machine that validates a landed file, loads its passing
 * rows into the dataset's Iceberg silver table under a per-dataset lock, publishes `RowsLoaded`,
 * announces `DatasetLoaded`, and alerts the domain's topic on rejection, quarantined rows and
 * failure. Its role is written out in full: it reaches only this dataset's function, prefixes,
 * tables and lock item, the domain's pipeline workgroup and topic.
 */
export class DatasetPipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The compiled Load step whose Athena rendering the definition carries. */
  readonly load: LoadStep;

  constructor(scope: Construct, id: string, props: DatasetPipelineProps) {
    super(scope, id);
    const { dataset, identity, buckets } = props;
    const stack = Stack.of(this);
    const ref = dataset.names.ref;
    const validateTimeout = props.validateTimeout ?? Duration.minutes(15);
    const loadTimeout = props.loadTimeout ?? Duration.minutes(30);
    const lockWaitInterval = props.lockWaitInterval ?? Duration.seconds(30);
    const maxLockWaits = props.maxLockWaits ?? 120;
    const maxCommitConflictRetries = props.maxCommitConflictRetries ?? 5;
    const timeout = props.timeout ?? Duration.hours(6);
    for (const [name, value] of [
      ['maxLockWaits', maxLockWaits],
      ['maxCommitConflictRetries', maxCommitConflictRetries],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`pipeline of ${ref}: ${name} must be a whole number of at least 0, got ${value}`);
    }
    // Calls to the lock table and the notifications are short beside these; they are left out.
    const longest =
      validateTimeout.toSeconds() + maxLockWaits * lockWaitInterval.toSeconds() + (maxCommitConflictRetries + 1) * loadTimeout.toSeconds();
    if (timeout.toSeconds() < longest) {
      throw new Error(
        `pipeline of ${ref}: timeout ${timeout.toSeconds()} s is shorter than validation, ${maxLockWaits} lock waits ` +
          `and ${maxCommitConflictRetries + 1} loads at their longest (${longest} s); raise timeout or lower those`,
      );
    }

    const stateMachineName = pipelineStateMachineName(identity, dataset);
    const database = glueDatabaseName(identity, dataset.domain);
    const workgroupName = athenaPipelineWorkgroupName(identity, dataset.domain);
    const silverTable = silverTableName(dataset);
    const validatedTable = validatedTableName(dataset);
    const topicArn = stack.formatArn({ service: 'sns', resource: domainAlertTopicName(identity, dataset.domain) });
    const arns = stateMachineArns(this, stateMachineName);
    const executionArns = arns.executions;
    const glue = (resource: string): string => stack.formatArn({ service: 'glue', resource });
    this.load = loadStep(dataset, { database });

    const validatedFiles = new ZonePrefix(buckets.validated, validatedPrefix(dataset));
    const silverFiles = new ZonePrefix(buckets.silver, silverPrefix(dataset));
    const queryResults = new ZonePrefix(buckets.athenaResults, pipelineResultsPrefix(dataset));
    const lineageEvents = new ZonePrefix(buckets.audit, lineagePrefix(dataset.domain, silverTable));
    const statements = [
      new iam.PolicyStatement({ sid: 'InvokeValidator', actions: ['lambda:InvokeFunction'], resources: [props.validator.functionArn] }),
      new iam.PolicyStatement({
        sid: 'RunLoadQuery',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroupName })],
      }),
      new iam.PolicyStatement({
        sid: 'ReadDataCatalog',
        actions: ['athena:GetDataCatalog'],
        resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTableDefinitions',
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: [glue('catalog'), glue(`database/${database}`), glue(`table/${database}/${silverTable}`), glue(`table/${database}/${validatedTable}`)],
      }),
      new iam.PolicyStatement({
        sid: 'CommitSilverTable',
        actions: ['glue:UpdateTable'],
        resources: [glue('catalog'), glue(`database/${database}`), glue(`table/${database}/${silverTable}`)],
      }),
      validatedFiles.grantObjects('ReadValidatedFiles', { read: true }),
      silverFiles.grantObjects('WriteSilverFiles', { read: true, write: true, delete: true, multipartUploads: 'abortAndListParts' }),
      queryResults.grantObjects('WriteQueryResults', { read: true, write: true, multipartUploads: 'abortAndListParts' }),
      lineageEvents.grantObjects('WriteLineageEvents', { write: true }),
      ZonePrefix.locateBuckets('LocateBuckets', [buckets.validated, buckets.silver, buckets.athenaResults]),
      validatedFiles.listObjects('ListValidatedFiles'),
      silverFiles.listObjects('ListSilverFiles'),
      queryResults.listObjects('ListQueryResults'),
      new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
      new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [topicArn] }),
      props.lockTable.lockStatement(dataset),
      new iam.PolicyStatement({ sid: 'CheckLockHolder', actions: ['states:DescribeExecution'], resources: [executionArns] }),
      announceStatement(stack, 'AnnounceLoads'),
      new iam.PolicyStatement({
        sid: 'PublishLoadMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
      ...executionTelemetryStatements(),
    ];

    this.role = new iam.Role(this, 'Role', {
      assumedBy: stateMachinePrincipal(this, arns),
      description: `Pipeline of ${ref} in ${identity.environment}: validates, loads its silver table, alerts`,
      inlinePolicies: { Pipeline: new iam.PolicyDocument({ statements }) },
    });

    this.logGroup = executionLogGroup(this, pipelineLogGroupName(identity, dataset), props);

    const states = new Construct(this, 'States');
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      ...loggedAndTraced(this.logGroup),
      comment: `Validates files landed for ${ref} and loads them into ${database}.${silverTable}`,
      definitionBody: sfn.DefinitionBody.fromChainable(
        pipelineStates(states, {
          dataset,
          identity,
          validator: props.validator,
          load: this.load,
          workgroupName,
          loadResults: queryResults,
          lockTable: props.lockTable.table,
          alertTopic: sns.Topic.fromTopicArn(this, 'AlertTopic', topicArn),
          auditBucketName: buckets.audit,
          executionArns,
          validateTimeout,
          loadTimeout,
          callTimeout: CALL_TIMEOUT,
          lockWaitInterval,
          maxLockWaits,
          maxCommitConflictRetries,
        }),
      ),
      timeout,
      // The policy above is the whole grant: the tasks' own generated statements would be broader.
      role: this.role.withoutPolicyUpdates(),
    });

    Validations.of(this.role).acknowledge(
      {
        id: wildcardFinding(this, validatedFiles.objectsArn),
        reason: `Reads only ${ref}'s validated Parquet, under its prefix; keys carry the delivery's date and file id.`,
      },
      {
        id: wildcardFinding(this, silverFiles.objectsArn),
        reason: `Athena writes ${ref}'s Iceberg data and metadata files under the table's location; their names are generated.`,
      },
      {
        id: wildcardFinding(this, queryResults.objectsArn),
        reason: `Athena writes the load query's results under ${ref}'s own results prefix, named by query id.`,
      },
      {
        id: wildcardFinding(this, lineageEvents.objectsArn),
        reason: `Writes ${ref}'s OpenLineage events under its own lineage prefix, named by run day, run id and event type.`,
      },
      {
        id: wildcardFinding(this, executionArns),
        reason: `Reads the status of this pipeline's own executions (the lock holder), whose names are generated.`,
      },
      {
        id: wildcardFinding(this, '*'),
        reason:
          'cloudwatch:PutMetricData (limited to the ContractLakehouse namespace by condition), the log delivery ' +
          'actions and X-Ray support no resource-level permissions.',
      },
    );
  }
}
