import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
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
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { alertSubject } from '../pipeline/alert-subject.ts';
import { BUILD_ERRORS, BUILD_STATES as S, layerStateName, modelStateNames } from '../pipeline/build-states.ts';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../pipeline/dataset-loaded-event.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { type BuildPlan, type ModelBuild, modelStatePrefix, resultsStateName } from '../transforms/build-plan.ts';
import { stagingTableName } from '../transforms/render.ts';
import { announceStatement } from './announce-statement.ts';
import { DatasetLockTable } from './dataset-lock.ts';
import { executionLogGroup, type ExecutionLogProps, executionTelemetryStatements, loggedAndTraced } from './execution-logs.ts';
import { type AttachedGrant, attachGrowingStatements, checkInlinePolicy } from './policy-size.ts';
import { CONDITION_FAILED, lockStates, releaseLockTask } from './lock-states.ts';
import { stateMachineArns, stateMachinePrincipal } from './state-machine-arns.ts';
import { retryAsNewQuery, withRetry } from './task-retry.ts';

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

/** Where the build keeps its state; every path is JSONPath-safe. */
const PATHS = {
  dataset: '$.detail.dataset',
  build: '$.build',
  lockWaits: '$.build.lockWaits',
  lock: '$.lock',
  lockItem: '$.lock.Item',
  lockHolder: '$.lock.Item.holder.S',
  lockHolderStatus: '$.lockHolder.status',
  lockHolderState: '$.lockHolder',
  failure: '$.failure',
  query: '$.query',
  queryId: '$.query.id',
  tests: '$.tests',
  announcedOn: '$.build.announcedOn',
} as const;

/** What the build does to its models' tables (views are created and replaced by the build itself). */
const MODEL_TABLE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'];
const INPUT_TABLE_ACTIONS = ['glue:GetDatabase', 'glue:GetTable'];

function bucketArn(bucket: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucket}`;
}

function objectsUnder(bucket: string, prefix: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucket}/${prefix}*`;
}

function anyOf(conditions: readonly sfn.Condition[]): sfn.Condition {
  return conditions.length === 1 ? conditions[0]! : sfn.Condition.or(...conditions);
}

/**
 * A domain's build (DESIGN.md "Transforms per domain"): a Standard state machine started by the
 * `DatasetLoaded` announcement of any input of the domain's models and by a scheduled full build.
 * It holds the domain's build lock (one build per domain at a time; the dataset lock pattern with
 * the domain as key), then runs the models layer by layer, each layer one `Parallel`: a model
 * stages, tests (a Choice reads `failures` from `getQueryResults`), and only when every
 * error-severity test found nothing, publishes and announces itself. A failing model alerts its
 * owner and skips the models that read it; the run then fails.
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
  private readonly statementTimeout: Duration;

  constructor(scope: Construct, id: string, props: DomainBuildProps) {
    super(scope, id);
    const { identity, plan } = props;
    const domain = plan.domain;
    this.props = props;
    this.statementTimeout = props.statementTimeout ?? Duration.minutes(30);
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
    const states = new Construct(this, 'States');
    const definition = this.definition(states, { executionArns, lockWaitInterval, maxLockWaits });

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

  private definition(
    scope: Construct,
    options: { executionArns: string; lockWaitInterval: Duration; maxLockWaits: number },
  ): sfn.IChainable {
    const { plan } = this.props;
    const domain = plan.domain;
    const failing = { resultPath: PATHS.failure };

    const buildFailed = new sfn.Fail(scope, S.buildFailed, {
      error: BUILD_ERRORS.failed,
      cause: `The build of the ${domain} domain failed; the alert and the execution history name the error`,
    });
    const alertFailed = this.alert(scope, S.alertFailed, `Build failed: ${domain}`, {
      alert: 'BuildFailed',
      input: sfn.JsonPath.executionInput,
      failure: sfn.JsonPath.objectAt(PATHS.failure),
    }).next(buildFailed);
    const lockTask = { table: this.lockTable.table, key: domain, callTimeout: CALL_TIMEOUT };
    const releaseLockAfterFailure = releaseLockTask(scope, S.releaseLockAfterFailure, lockTask)
      .addCatch(alertFailed, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD })
      .addCatch(alertFailed, { resultPath: '$.lockReleaseFailure' })
      .next(alertFailed);

    // The lock: the dataset pipeline's pattern, keyed by the domain.
    const lock = lockStates(scope, {
      names: S,
      paths: PATHS,
      ...lockTask,
      executionArns: options.executionArns,
      waitInterval: options.lockWaitInterval,
      maxWaits: options.maxLockWaits,
      countWait: {
        parameters: {
          lockWaits: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt(PATHS.lockWaits), 1),
          announcedOn: sfn.JsonPath.stringAt(PATHS.announcedOn),
        },
        resultPath: PATHS.build,
      },
      notAcquired: {
        error: BUILD_ERRORS.lockNotAcquired,
        cause: `Another build of ${domain} kept running through ${options.maxLockWaits} waits of ${options.lockWaitInterval.toSeconds()} s; the lock item names it`,
      },
      onFailure: releaseLockAfterFailure,
      onNotAcquired: alertFailed,
    });

    // The models, one Parallel per layer; each branch ends with its model's outcome.
    const layerOf = new Map(plan.layers.flatMap((layer, index) => layer.map((build) => [build.outcomeKey, index + 1] as const)));
    const outcomePath = (key: string): string => `$.outcomes.layer${layerOf.get(key)!}.${key}`;
    const layers = plan.layers.map((layer, index) => {
      const parallel = new sfn.Parallel(scope, layerStateName(index + 1), {
        resultSelector: Object.fromEntries(layer.map((build, branch) => [build.outcomeKey, sfn.JsonPath.objectAt(`$[${branch}]`)])),
        resultPath: `$.outcomes.layer${index + 1}`,
      });
      for (const build of layer) parallel.branch(this.modelBranch(scope, build, outcomePath));
      parallel.addCatch(releaseLockAfterFailure, failing);
      return parallel;
    });

    const modelsFailed = new sfn.Fail(scope, S.modelsFailed, {
      error: BUILD_ERRORS.modelsFailed,
      cause: `A model of the ${domain} domain failed its tests or could not run; its alert names it, and nothing reading it was published`,
    });
    const allBuilds = plan.layers.flat();
    const checkModels = new sfn.Choice(scope, S.checkModels)
      .when(anyOf(allBuilds.map((build) => sfn.Condition.booleanEquals(`${outcomePath(build.outcomeKey)}.blocked`, true))), modelsFailed)
      .otherwise(new sfn.Succeed(scope, S.built));
    const release = releaseLockTask(scope, S.releaseLock, lockTask).addCatch(alertFailed, failing).next(checkModels);

    let chain: sfn.INextable = lock.acquire;
    lock.takeOver.next(layers[0]!);
    for (const layer of layers) {
      chain.next(layer);
      chain = layer;
    }
    chain.next(release);

    const prepareBuild = new sfn.Pass(scope, S.prepareBuild, {
      parameters: {
        lockWaits: 0,
        announcedOn: sfn.JsonPath.arrayGetItem(sfn.JsonPath.stringSplit(sfn.JsonPath.stringAt('$$.Execution.StartTime'), 'T'), 0),
      },
      resultPath: PATHS.build,
    });
    return prepareBuild.next(lock.acquire);
  }

  /** One model: skip it or run its steps, then test, then publish and announce, or alert. */
  private modelBranch(scope: Construct, build: ModelBuild, outcomePath: (key: string) => string): sfn.IChainable {
    const { model } = build;
    const names = modelStateNames(modelStatePrefix(model));
    const outcome = (id: string, status: string, blocked: boolean): sfn.Pass =>
      new sfn.Pass(scope, id, { result: sfn.Result.fromObject({ model: model.id, status, blocked }) });
    const owner = `${model.owner.team} (${model.owner.email})`;

    const error = outcome(names.error, 'error', true);
    const alertError = this.alert(scope, names.alertError, `Model failed to run: ${model.id}`, {
      alert: 'ModelFailed',
      model: model.id,
      owner,
      failure: sfn.JsonPath.objectAt(PATHS.failure),
    }).next(error);
    const failing = { resultPath: PATHS.failure };

    const statement = (name: string, sql: string, keepId: boolean): tasks.AthenaStartQueryExecution => {
      const task = withRetry(
        new tasks.AthenaStartQueryExecution(scope, name, {
          queryString: sql,
          workGroup: this.props.workGroupName,
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          ...(keepId
            ? { resultSelector: { id: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId') }, resultPath: PATHS.query }
            : { resultPath: sfn.JsonPath.DISCARD }),
          taskTimeout: sfn.Timeout.duration(this.statementTimeout),
        }),
        RETRY_POLICIES.athena,
      );
      retryAsNewQuery(task);
      task.addCatch(alertError, failing);
      return task;
    };

    const chainOf = (states: readonly (sfn.State & sfn.INextable)[], last: sfn.IChainable): sfn.IChainable => {
      states.forEach((state, index) => state.next(states[index + 1] ?? last));
      return states[0] ?? last;
    };

    const announce = withRetry(
      new tasks.EventBridgePutEvents(scope, names.announce, {
        entries: [
          {
            source: LAKEHOUSE_EVENT_SOURCE,
            detailType: DATASET_LOADED_DETAIL_TYPE,
            detail: sfn.TaskInput.fromObject({
              dataset: model.id,
              fileId: sfn.JsonPath.executionId,
              ingestDate: sfn.JsonPath.stringAt(PATHS.announcedOn),
            }),
          },
        ],
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(CALL_TIMEOUT),
      }),
      RETRY_POLICIES.notification,
    ).addCatch(alertError, failing);
    announce.next(outcome(names.published, 'published', false));
    const publish = chainOf(
      build.steps.filter((step) => step.role === 'publish').map((step) => statement(step.name, step.athena, false)),
      announce,
    );

    const errorTests = build.tests.filter((test) => test.severity === 'error');
    const afterTests =
      errorTests.length === 0
        ? publish
        : new sfn.Choice(scope, names.checkTests)
            .when(
              anyOf(errorTests.map((test) => sfn.Condition.not(sfn.Condition.stringEquals(`${PATHS.tests}.${test.field}.failures`, '0')))),
              this.alert(scope, names.alertTestFailed, `Model test failed: ${model.id}`, {
                alert: 'ModelTestFailed',
                model: model.id,
                owner,
                failuresByTest: sfn.JsonPath.objectAt(PATHS.tests),
                message: `An error-severity test of ${model.id} found failing rows; nothing was published and models reading it were skipped`,
              })
                .addCatch(error, failing)
                .next(outcome(names.failed, 'failed', true)),
            )
            .otherwise(publish);

    const testStates = build.tests.flatMap((test) => {
      const step = build.steps.find((candidate) => candidate.name === test.step)!;
      const results = withRetry(
        new tasks.AthenaGetQueryResults(scope, resultsStateName(step.name), {
          queryExecutionId: sfn.JsonPath.stringAt(PATHS.queryId),
          maxResults: 2,
          // Row 0 is the header; the test query returns one row with one column, `failures`.
          resultSelector: { failures: sfn.JsonPath.stringAt('$.ResultSet.Rows[1].Data[0].VarCharValue') },
          resultPath: `${PATHS.tests}.${test.field}`,
          taskTimeout: sfn.Timeout.duration(CALL_TIMEOUT),
        }),
        RETRY_POLICIES.athena,
      ).addCatch(alertError, failing);
      return [statement(step.name, step.athena, true), results];
    });
    const stageStates = build.steps.filter((step) => step.role === 'stage').map((step) => statement(step.name, step.athena, false));
    const run = chainOf([...stageStates, ...testStates], afterTests);

    const affected = new sfn.Choice(scope, names.checkInputs);
    if (build.upstream.length > 0) {
      affected.when(
        anyOf(build.upstream.map((key) => sfn.Condition.booleanEquals(`${outcomePath(key)}.blocked`, true))),
        outcome(names.skipped, 'skipped', true),
      );
    }
    // A scheduled full build carries no dataset; an announcement builds only what reads it. Two
    // Choices, because a comparison with a path that is absent is a runtime error.
    const triggered = new sfn.Choice(scope, names.checkTrigger)
      .when(anyOf(build.triggers.map((trigger) => sfn.Condition.stringEquals(PATHS.dataset, trigger))), run)
      .otherwise(outcome(names.notAffected, 'not-affected', false));
    return affected.when(sfn.Condition.isPresent(PATHS.dataset), triggered).otherwise(run);
  }

  private alert(scope: Construct, id: string, subject: string, message: Record<string, unknown>): tasks.SnsPublish {
    return withRetry(
      new tasks.SnsPublish(scope, id, {
        topic: this.props.alertTopic,
        subject: alertSubject(subject),
        message: sfn.TaskInput.fromObject({ domain: this.props.plan.domain, execution: sfn.JsonPath.executionId, ...message }),
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(CALL_TIMEOUT),
      }),
      RETRY_POLICIES.notification,
    );
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
    // Listing a bucket reveals every key in it: each listing is limited to the prefixes the build reads or writes.
    const listUnder = (sid: string, bucket: string, prefixes: readonly string[]): iam.PolicyStatement =>
      new iam.PolicyStatement({
        sid,
        actions: ['s3:ListBucket'],
        resources: [bucketArn(bucket)],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      });
    const shared = [
      new iam.PolicyStatement({
        sid: 'RunModelQueries',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroupName })],
      }),
      new iam.PolicyStatement({
        sid: 'ReadDataCatalog',
        actions: ['athena:GetDataCatalog'],
        resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
      }),
      new iam.PolicyStatement({
        sid: 'UseModelDatabase',
        actions: MODEL_TABLE_ACTIONS,
        resources: [glue('catalog'), glue(`database/${props.databaseName}`)],
      }),
      ...(readDatabases.length === 0
        ? []
        : [new iam.PolicyStatement({ sid: 'UseInputDatabases', actions: INPUT_TABLE_ACTIONS, resources: [glue('catalog'), ...readDatabases] })]),
      new iam.PolicyStatement({
        sid: 'WriteModelFiles',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [objectsUnder(props.goldBucketName, goldDomainPrefix(plan.domain))],
      }),
      new iam.PolicyStatement({
        sid: 'WriteQueryResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [objectsUnder(props.athenaResultsBucketName, athenaResultsPrefix(plan.domain))],
      }),
      new iam.PolicyStatement({
        sid: 'LocateBuckets',
        actions: ['s3:GetBucketLocation'],
        resources: [props.goldBucketName, props.silverBucketName, props.athenaResultsBucketName].map(bucketArn),
      }),
      listUnder('ListModelFiles', props.goldBucketName, [goldDomainPrefix(plan.domain)]),
      listUnder('ListQueryResults', props.athenaResultsBucketName, [athenaResultsPrefix(plan.domain)]),
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
      ...plan.reads.flatMap((target) => {
        const sid = `Read${pascalCase(`${target.domain}_${target.table}`)}`;
        const [bucket, prefix] =
          target.kind === 'dataset'
            ? [props.silverBucketName, silverPrefix(target.dataset)]
            : [props.goldBucketName, goldPrefix(target.domain, target.table)];
        return [
          new iam.PolicyStatement({
            sid: `${sid}Table`,
            actions: INPUT_TABLE_ACTIONS,
            resources: [glue(`table/${glueDatabaseName(identity, target.domain)}/${target.table}`)],
          }),
          new iam.PolicyStatement({ sid: `${sid}Files`, actions: ['s3:GetObject'], resources: [objectsUnder(bucket, prefix)] }),
          // Inputs under the domain's own gold prefix are listed by ListModelFiles already.
          ...(target.kind === 'model' && target.domain === plan.domain ? [] : [listUnder(`List${sid.slice('Read'.length)}Files`, bucket, [prefix])]),
        ];
      }),
    ];
    return { shared, growing };
  }

  private acknowledgeFindings(executionArns: string, grants: readonly AttachedGrant[]): void {
    const { props } = this;
    const domain = props.plan.domain;
    const readFiles = props.plan.reads.map((target) =>
      target.kind === 'dataset'
        ? { files: objectsUnder(props.silverBucketName, silverPrefix(target.dataset)), what: `${target.id}'s silver table` }
        : { files: objectsUnder(props.goldBucketName, goldPrefix(target.domain, target.table)), what: `model ${target.id}'s gold table` },
    );
    Validations.of(this.role).acknowledge(
      {
        id: wildcardFinding(this, objectsUnder(props.goldBucketName, goldDomainPrefix(domain))),
        reason: `Athena writes the ${domain} models' Iceberg data and metadata files under the domain's gold prefix; their names are generated.`,
      },
      {
        id: wildcardFinding(this, objectsUnder(props.athenaResultsBucketName, athenaResultsPrefix(domain))),
        reason: `Athena writes the build's query results under the domain's results prefix, named by query id.`,
      },
      {
        id: wildcardFinding(this, executionArns),
        reason: `Reads the status of this build's own executions (the lock holder), whose names are generated.`,
      },
      {
        id: wildcardFinding(this, '*'),
        reason: 'The log delivery actions and X-Ray support no resource-level permissions.',
      },
    );
    for (const grant of grants) {
      const held = readFiles.filter(({ files }) => grant.statements.some((statement) => statement.resources.includes(files)));
      if (held.length === 0) continue;
      Validations.of(grant.policy).acknowledge(
        ...held.map(({ files, what }) => ({
          id: wildcardFinding(this, files),
          reason: `Reads only the files of ${what}, an input of the ${domain} models; Iceberg names them.`,
        })),
      );
    }
  }
}
