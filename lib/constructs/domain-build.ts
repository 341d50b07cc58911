import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  athenaResultsPrefix,
  buildLogGroupName,
  buildStateMachineName,
  type EnvironmentIdentity,
  glueDatabaseName,
  goldDomainPrefix,
  goldPrefix,
  pascalCase,
  silverPrefix,
} from '../config/names.ts';
import { lineagePrefix } from '../ingest/layout.ts';
import { METRICS_NAMESPACE } from '../ingest/validation-metrics.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../pipeline/dataset-loaded-event.ts';
import type { BuildPlan } from '../transforms/build-plan.ts';
import type { RefTarget } from '../transforms/model.ts';
import { stagingTableName } from '../transforms/render.ts';
import { athenaQueryStatements } from './athena-query-statements.ts';
import { announceStatement } from './dataset-loaded-announcement.ts';
import { buildStateGraph } from './build-state-graph.ts';
import { DatasetLockTable } from './dataset-lock.ts';
import { executionLogGroup, type ExecutionLogProps, executionTelemetryStatements, loggedAndTraced } from './execution-logs.ts';
import { type AttachedGrant, attachGrowingStatements, checkInlinePolicy } from './policy-size.ts';
import { stateMachineArns, stateMachinePrincipal } from './state-machine-arns.ts';
import { ZonePrefix } from './zone-prefix.ts';

export interface DomainBuildProps extends ExecutionLogProps {
  readonly identity: EnvironmentIdentity;
  readonly plan: BuildPlan;
  /** The domain's Glue database, where its models' tables and views live. */
  readonly databaseName: string;
  /** The domain's pipeline workgroup every statement runs in (`athenaPipelineWorkgroupName`). */
  readonly workGroupName: string;
  /** The environment's key: zone buckets, Athena results and alerts are encrypted with it. */
  readonly key: kms.IKey;
  /** The domain's topic: a failing model alerts its owner there. */
  readonly alertTopic: sns.ITopic;
  readonly athenaResultsBucketName: string;
  readonly silverBucketName: string;
  readonly goldBucketName: string;
  /** Where each model run writes its OpenLineage events, under the model's own lineage prefix. */
  readonly auditBucketName: string;
  /** EventBridge schedule expression of the full build, which also serves backfills. @default daily at 01:00 UTC */
  readonly fullBuildSchedule?: string;
  /** How long one statement (stage, test or publish query) may run. @default Duration.minutes(30) */
  readonly statementTimeout?: Duration;
  /** Pause between two looks at the lock another build holds. @default Duration.minutes(1) */
  readonly lockWaitInterval?: Duration;
  /** Looks at a held lock before the build gives up and alerts. @default 180 */
  readonly maxLockWaits?: number;
  /** Longest execution, lock waits included. @default Duration.hours(12) */
  readonly timeout?: Duration;
}

/** Timeout of the Tasks that make one API call (lock, results, event, alerts). */
const CALL_TIMEOUT = Duration.seconds(30);

/** What the build does to its models' tables (views are created and replaced by the build itself). */
const MODEL_TABLE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'];
const INPUT_TABLE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'];

/**
 * A domain's build (DESIGN.md "Transforms per domain"): a Standard state machine started by the
 * `DatasetLoaded` announcement of any input of the domain's models and by a scheduled full build.
 * It holds the domain's build lock (one build per domain at a time; the dataset lock pattern with
 * the domain as key), then runs the models layer by layer, each layer one `Parallel`: a model
 * stages, tests (a Choice reads `failures` from `getQueryResults`), and only when every
 * error-severity test found nothing, publishes and announces itself. A failing model alerts its
 * owner and skips the models that read it; the run then fails. The states are built by
 * `buildStateGraph` (build-state-graph.ts); this construct wires them to the role, its policies
 * and the cdk-nag acknowledgements.
 */
export class DomainBuild extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly role: iam.Role;
  /** The role's grants on its models' tables and its inputs, which grow with the domain. */
  readonly grants: readonly iam.ManagedPolicy[];
  readonly logGroup: logs.LogGroup;
  readonly lockTable: DatasetLockTable;
  /** Starts a build when an input of the domain's models is announced. */
  readonly trigger: events.Rule;
  readonly schedule: events.Rule;

  private readonly props: DomainBuildProps;
  /** Where Athena writes the models' Iceberg files: the domain's gold prefix. */
  private readonly modelFiles: ZonePrefix;
  /** Where Athena writes the build's query results: the domain's results prefix. */
  private readonly queryResults: ZonePrefix;

  constructor(scope: Construct, id: string, props: DomainBuildProps) {
    super(scope, id);
    const { identity, plan } = props;
    const domain = plan.domain;
    this.props = props;
    this.modelFiles = new ZonePrefix(props.goldBucketName, goldDomainPrefix(domain));
    this.queryResults = new ZonePrefix(props.athenaResultsBucketName, athenaResultsPrefix(domain));
    const lockWaitInterval = props.lockWaitInterval ?? Duration.minutes(1);
    const maxLockWaits = props.maxLockWaits ?? 180;
    const timeout = props.timeout ?? Duration.hours(12);
    if (plan.layers.length === 0) throw new Error(`build of domain '${domain}': the domain has no models`);
    if (!Number.isInteger(maxLockWaits) || maxLockWaits < 0) {
      throw new Error(`build of domain '${domain}': maxLockWaits must be a whole number of at least 0, got ${maxLockWaits}`);
    }
    if (timeout.toSeconds() <= maxLockWaits * lockWaitInterval.toSeconds()) {
      throw new Error(
        `build of domain '${domain}': timeout ${timeout.toSeconds()} s leaves no time to build after ${maxLockWaits} lock waits ` +
          `of ${lockWaitInterval.toSeconds()} s; raise timeout or lower maxLockWaits`,
      );
    }

    const stateMachineName = buildStateMachineName(identity, domain);
    const arns = stateMachineArns(this, stateMachineName);
    const executionArns = arns.executions;
    this.lockTable = new DatasetLockTable(this, 'Lock');
    const definition = buildStateGraph(new Construct(this, 'States'), {
      plan,
      identity,
      auditBucketName: props.auditBucketName,
      workGroupName: props.workGroupName,
      lockTable: this.lockTable.table,
      alertTopic: props.alertTopic,
      executionArns,
      statementTimeout: props.statementTimeout ?? Duration.minutes(30),
      callTimeout: CALL_TIMEOUT,
      lockWaitInterval,
      maxLockWaits,
    });

    this.logGroup = executionLogGroup(this, buildLogGroupName(identity, domain), props);
    const { shared, growing } = this.statements(executionArns);
    const what = `build of domain '${domain}'`;
    const fix = `move some of its models to another domain, or raise the account's IAM quota of managed policies per role to 20 and IAM_POLICY_LIMITS.managedPoliciesPerRole with it`;
    checkInlinePolicy(this, what, shared, fix);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: stateMachinePrincipal(this, arns),
      description: `Build of the ${domain} domain's SQL models in ${identity.environment}`,
      inlinePolicies: { Build: new iam.PolicyDocument({ statements: shared }) },
    });
    // Per model and per input grants grow with the domain: IAM caps a role's inline policies at
    // 10,240 bytes, so they go to managed policies of up to 6,144 bytes each.
    const grants = attachGrowingStatements(this, {
      role: this.role,
      what,
      statements: growing,
      description: `Build of the ${domain} domain's SQL models in ${identity.environment}: its models' tables and inputs`,
      fix,
    });
    this.grants = grants.map((grant) => grant.policy);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      ...loggedAndTraced(this.logGroup),
      comment: `Builds, tests and publishes the SQL models of the ${domain} domain`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout,
      // The policy above is the whole grant: the tasks' own generated statements would be broader.
      role: this.role.withoutPolicyUpdates(),
    });
    // A build started before its grants are attached would fail on its first model.
    for (const grant of this.grants) this.stateMachine.node.addDependency(grant);

    this.trigger = new events.Rule(this, 'Trigger', {
      description: `Builds the ${domain} domain's models when one of their inputs is loaded or published`,
      eventPattern: {
        source: [LAKEHOUSE_EVENT_SOURCE],
        detailType: [DATASET_LOADED_DETAIL_TYPE],
        detail: { dataset: [...plan.inputs] },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });
    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Full build of the ${domain} domain's models (also serves backfills)`,
      schedule: events.Schedule.expression(props.fullBuildSchedule ?? 'cron(0 1 * * ? *)'),
      targets: [new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}) })],
    });
    this.acknowledgeFindings(executionArns, grants);
  }

  /**
   * Everything the build touches, by name: its workgroup, its models' tables, the tables it reads.
   * `shared` does not grow with the domain; `growing` holds one statement per model and three per
   * input, which is what passes IAM's inline limit at some 12-20 models.
   */
  private statements(executionArns: string): { shared: iam.PolicyStatement[]; growing: iam.PolicyStatement[] } {
    const { props } = this;
    const { identity, plan } = props;
    const stack = Stack.of(this);
    const glue = (resource: string): string => stack.formatArn({ service: 'glue', resource });
    const models = plan.layers.flat().map((build) => build.model);
    const readDatabases = [...new Set(plan.reads.map((target) => glue(`database/${glueDatabaseName(identity, target.domain)}`)))];
    const { modelFiles, queryResults } = this;
    const shared = [
      ...athenaQueryStatements(stack, 'RunModelQueries', props.workGroupName),
      new iam.PolicyStatement({
        sid: 'UseModelDatabase',
        actions: MODEL_TABLE_ACTIONS,
        resources: [glue('catalog'), glue(`database/${props.databaseName}`)],
      }),
      ...(readDatabases.length === 0
        ? []
        : [new iam.PolicyStatement({ sid: 'UseInputDatabases', actions: INPUT_TABLE_ACTIONS, resources: [glue('catalog'), ...readDatabases] })]),
      modelFiles.grantObjects('WriteModelFiles', { read: true, write: true, delete: true, multipartUploads: 'abortAndListParts' }),
      queryResults.grantObjects('WriteQueryResults', { read: true, write: true, multipartUploads: 'abortAndListParts' }),
      ZonePrefix.locateBuckets('LocateBuckets', [props.goldBucketName, props.silverBucketName, props.athenaResultsBucketName]),
      modelFiles.listObjects('ListModelFiles'),
      queryResults.listObjects('ListQueryResults'),
      new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
      new iam.PolicyStatement({ sid: 'AlertOwners', actions: ['sns:Publish'], resources: [props.alertTopic.topicArn] }),
      new iam.PolicyStatement({
        sid: 'HoldBuildLock',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.lockTable.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [plan.domain] } },
      }),
      new iam.PolicyStatement({ sid: 'CheckLockHolder', actions: ['states:DescribeExecution'], resources: [executionArns] }),
      announceStatement(stack, 'AnnounceModels'),
      new iam.PolicyStatement({
        sid: 'PublishTestFailureMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
      ...executionTelemetryStatements(),
    ];
    const growing = [
      ...models.map(
        (model) =>
          new iam.PolicyStatement({
            sid: `WriteModel${pascalCase(model.name)}`,
            actions: MODEL_TABLE_ACTIONS,
            resources: [model.name, stagingTableName(model)].map((table) => glue(`table/${props.databaseName}/${table}`)),
          }),
      ),
      ...models.map((model) => this.lineageEvents(model.name).grantObjects(`WriteModel${pascalCase(model.name)}Lineage`, { write: true })),
      ...plan.reads.flatMap((target) => {
        const sid = `Read${pascalCase(`${target.domain}_${target.table}`)}`;
        const files = this.inputFiles(target);
        return [
          new iam.PolicyStatement({
            sid: `${sid}Table`,
            actions: INPUT_TABLE_ACTIONS,
            resources: [glue(`table/${glueDatabaseName(identity, target.domain)}/${target.table}`)],
          }),
          files.grantObjects(`${sid}Files`, { read: true }),
          // Inputs under the domain's own gold prefix are listed by ListModelFiles already.
          ...(target.kind === 'model' && target.domain === plan.domain ? [] : [files.listObjects(`List${sid.slice('Read'.length)}Files`)]),
        ];
      }),
    ];
    return { shared, growing };
  }

  /** Where a model's runs write their OpenLineage events. */
  private lineageEvents(model: string): ZonePrefix {
    return new ZonePrefix(this.props.auditBucketName, lineagePrefix(this.props.plan.domain, model));
  }

  /** The files of a table the build reads: a dataset's silver table or a model's gold table. */
  private inputFiles(target: RefTarget): ZonePrefix {
    return target.kind === 'dataset'
      ? new ZonePrefix(this.props.silverBucketName, silverPrefix(target.dataset))
      : new ZonePrefix(this.props.goldBucketName, goldPrefix(target.domain, target.table));
  }

  private acknowledgeFindings(executionArns: string, grants: readonly AttachedGrant[]): void {
    const { props } = this;
    const domain = props.plan.domain;
    const readFiles = props.plan.reads.map((target) => ({
      files: this.inputFiles(target).objectsArn,
      reason: `Reads only the files of ${target.kind === 'dataset' ? `${target.id}'s silver table` : `model ${target.id}'s gold table`}, an input of the ${domain} models; Iceberg names them.`,
    }));
    const lineageFiles = props.plan.layers.flat().map(({ model }) => ({
      files: this.lineageEvents(model.name).objectsArn,
      reason: `Writes model ${model.id}'s OpenLineage events under its own lineage prefix, named by run day, run id and event type.`,
    }));
    Validations.of(this.role).acknowledge(
      {
        id: wildcardFinding(this, this.modelFiles.objectsArn),
        reason: `Athena writes the ${domain} models' Iceberg data and metadata files under the domain's gold prefix; their names are generated.`,
      },
      {
        id: wildcardFinding(this, this.queryResults.objectsArn),
        reason: `Athena writes the build's query results under the domain's results prefix, named by query id.`,
      },
      {
        id: wildcardFinding(this, executionArns),
        reason: `Reads the status of this build's own executions (the lock holder), whose names are generated.`,
      },
      {
        id: wildcardFinding(this, '*'),
        reason:
          'cloudwatch:PutMetricData (limited to the ContractLakehouse namespace by condition), the log delivery ' +
          'actions and X-Ray support no resource-level permissions.',
      },
    );
    for (const grant of grants) {
      const held = [...readFiles, ...lineageFiles].filter(({ files }) => grant.statements.some((statement) => statement.resources.includes(files)));
      if (held.length === 0) continue;
      Validations.of(grant.policy).acknowledge(...held.map(({ files, reason }) => ({ id: wildcardFinding(this, files), reason })));
    }
  }
}
