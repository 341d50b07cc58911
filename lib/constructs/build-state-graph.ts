/**
 * The state graph of a domain's build (see `DomainBuild`): the domain's build lock, then the
 * models layer by layer, each layer one `Parallel` whose branches stage, test, publish and
 * announce one model or alert its owner. JSONPath only, a timeout on every Task, and state names
 * from `BUILD_STATES` and `modelStateNames`, which the offline runtime overrides by.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import { alertSubject } from '../pipeline/alert-subject.ts';
import { METRICS_NAMESPACE } from '../ingest/validation-metrics.ts';
import { BUILD_ERRORS, BUILD_STATES as S, layerStateName, MODEL_SELECTION_FIELD, modelStateNames } from '../pipeline/build-states.ts';
import { modelDatasets, modelJob, modelRunEvent, type ModelRunOutcome } from '../pipeline/lineage/model-run-events.ts';
import { modelMetricDimensions, OPERATIONAL_METRICS, putMetricDataDimensions } from '../pipeline/operational-metrics.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { type BuildPlan, type ModelBuild, modelStatePrefix, resultsStateName } from '../transforms/build-plan.ts';
import { announceTask } from './dataset-loaded-announcement.ts';
import { EVENT_TIME, lineageRunPaths, sharedPart, startLineageRun, writeLineageEvent } from './lineage-states.ts';
import { CONDITION_FAILED, lockStates, releaseLockTask } from './lock-states.ts';
import { retryAsNewQuery, withRetry } from './task-retry.ts';

export interface BuildStateGraphProps {
  readonly plan: BuildPlan;
  /** The environment: its name is a dimension of the metrics the build publishes; lineage names its catalog. */
  readonly identity: EnvironmentIdentity;
  /** Where each model run writes its lineage events. */
  readonly auditBucketName: string;
  /** The domain's pipeline workgroup every statement runs in. */
  readonly workGroupName: string;
  /** Where the domain's build lock item lives, keyed by the domain. */
  readonly lockTable: dynamodb.ITable;
  /** The domain's topic: a failing model alerts its owner there. */
  readonly alertTopic: sns.ITopic;
  /** ARNs of this build's executions, `...:execution:<state machine name>:*`, for DescribeExecution. */
  readonly executionArns: string;
  /** One stage, test or publish query. */
  readonly statementTimeout: Duration;
  /** Every other Task: one API call. */
  readonly callTimeout: Duration;
  readonly lockWaitInterval: Duration;
  readonly maxLockWaits: number;
}

/** Where the build keeps its state; every path is JSONPath-safe. */
const PATHS = {
  dataset: '$.detail.dataset',
  selection: `$.${MODEL_SELECTION_FIELD}`,
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
  /** A model run's `{ runId, startDay }`, inside its branch. */
  lineage: '$.lineage',
  /** A lineage event that could not be written; the run went on. */
  lineageWriteFailure: '$.lineageWriteFailure',
} as const;

function anyOf(conditions: readonly sfn.Condition[]): sfn.Condition {
  return conditions.length === 1 ? conditions[0]! : sfn.Condition.or(...conditions);
}

/** Builds the states under `scope` and returns the first one. */
export function buildStateGraph(scope: Construct, props: BuildStateGraphProps): sfn.IChainable {
  const { plan } = props;
  const domain = plan.domain;
  const failing = { resultPath: PATHS.failure };

  const buildFailed = new sfn.Fail(scope, S.buildFailed, {
    error: BUILD_ERRORS.failed,
    cause: `The build of the ${domain} domain failed; the alert and the execution history name the error`,
  });
  const alertFailed = alert(scope, props, S.alertFailed, `Build failed: ${domain}`, {
    alert: 'BuildFailed',
    input: sfn.JsonPath.executionInput,
    failure: sfn.JsonPath.objectAt(PATHS.failure),
  }).next(buildFailed);
  const lockTask = { table: props.lockTable, key: domain, callTimeout: props.callTimeout };
  const releaseLockAfterFailure = releaseLockTask(scope, S.releaseLockAfterFailure, lockTask)
    .addCatch(alertFailed, { errors: [CONDITION_FAILED], resultPath: sfn.JsonPath.DISCARD })
    .addCatch(alertFailed, { resultPath: '$.lockReleaseFailure' })
    .next(alertFailed);

  // The lock: the dataset pipeline's pattern, keyed by the domain.
  const lock = lockStates(scope, {
    names: S,
    paths: PATHS,
    ...lockTask,
    executionArns: props.executionArns,
    waitInterval: props.lockWaitInterval,
    maxWaits: props.maxLockWaits,
    countWait: {
      parameters: {
        lockWaits: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt(PATHS.lockWaits), 1),
        announcedOn: sfn.JsonPath.stringAt(PATHS.announcedOn),
      },
      resultPath: PATHS.build,
    },
    notAcquired: {
      error: BUILD_ERRORS.lockNotAcquired,
      cause: `Another build of ${domain} kept running through ${props.maxLockWaits} waits of ${props.lockWaitInterval.toSeconds()} s; the lock item names it`,
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
    // No Catch: every Task of a branch catches every error into the model's outcome, so a branch
    // always finishes and a layer cannot fail with an error a Catch could handle.
    for (const build of layer) parallel.branch(modelBranch(scope, props, build, outcomePath));
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
function modelBranch(scope: Construct, props: BuildStateGraphProps, build: ModelBuild, outcomePath: (key: string) => string): sfn.IChainable {
  const { model } = build;
  const names = modelStateNames(modelStatePrefix(model));
  const outcome = (id: string, status: string, blocked: boolean): sfn.Pass =>
    new sfn.Pass(scope, id, { result: sfn.Result.fromObject({ model: model.id, status, blocked }) });
  const owner = `${model.owner.team} (${model.owner.email})`;

  // A model that runs writes a START and then one COMPLETE or FAIL lineage event; one skipped or
  // left out did not run and writes none.
  const lineagePaths = lineageRunPaths(PATHS.lineage);
  const lineageEvent = (id: string, outcome: ModelRunOutcome, next: sfn.IChainable): sfn.IChainable =>
    writeLineageEvent(scope, id, {
      auditBucketName: props.auditBucketName,
      domain: model.domain,
      table: model.name,
      paths: lineagePaths,
      event: modelRunEvent(
        model,
        props.identity,
        { runId: sfn.JsonPath.stringAt(lineagePaths.runId), eventTime: EVENT_TIME, datasets: { inputs: sharedPart(lineagePaths, 'datasets.inputs'), outputs: sharedPart(lineagePaths, 'datasets.outputs') }, job: sharedPart(lineagePaths, 'job') },
        outcome,
      ),
      callTimeout: props.callTimeout,
      next,
      failurePath: PATHS.lineageWriteFailure,
    });

  const error = outcome(names.error, 'error', true);
  const failing = { resultPath: PATHS.failure };
  // The FAIL event before the alert: an alert that cannot be sent still leaves the run's record.
  // A failed alert is caught into the outcome: failing, it would fail the layer's Parallel, which
  // stops the other branches between their START and their COMPLETE or FAIL.
  // The failure whole, as JSON: its Cause is optional, and a path to an absent one is States.Runtime, which no Catch handles.
  const alertError = lineageEvent(
    names.writeLineageError,
    { eventType: 'FAIL', errorMessage: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(PATHS.failure)) },
    alert(scope, props, names.alertError, `Model failed to run: ${model.id}`, {
      alert: 'ModelFailed',
      model: model.id,
      owner,
      failure: sfn.JsonPath.objectAt(PATHS.failure),
    })
      .addCatch(error, failing)
      .next(error),
  );

  const statement = (name: string, sql: string, keepId: boolean): tasks.AthenaStartQueryExecution => {
    const task = withRetry(
      new tasks.AthenaStartQueryExecution(scope, name, {
        queryString: sql,
        workGroup: props.workGroupName,
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        ...(keepId
          ? { resultSelector: { id: sfn.JsonPath.stringAt('$.QueryExecution.QueryExecutionId') }, resultPath: PATHS.query }
          : { resultPath: sfn.JsonPath.DISCARD }),
        taskTimeout: sfn.Timeout.duration(props.statementTimeout),
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

  const announce = announceTask(
    scope,
    names.announce,
    { dataset: model.id, fileId: sfn.JsonPath.executionId, ingestDate: sfn.JsonPath.stringAt(PATHS.announcedOn) },
    sfn.Timeout.duration(props.callTimeout),
  ).addCatch(alertError, failing);
  announce.next(lineageEvent(names.writeLineagePublished, { eventType: 'COMPLETE' }, outcome(names.published, 'published', false)));
  const publish = chainOf(
    build.steps.filter((step) => step.role === 'publish').map((step) => statement(step.name, step.athena, false)),
    announce,
  );

  const errorTests = build.tests.filter((test) => test.severity === 'error');
  const failed = outcome(names.failed, 'failed', true);
  // Built only for a model with error-severity tests: a state nothing reaches is an invalid definition.
  const testFailures = (): sfn.IChainable => {
    const alertTestFailed = alert(scope, props, names.alertTestFailed, `Model test failed: ${model.id}`, {
      alert: 'ModelTestFailed',
      model: model.id,
      owner,
      failuresByTest: sfn.JsonPath.objectAt(PATHS.tests),
      message: `An error-severity test of ${model.id} found failing rows; nothing was published and models reading it were skipped`,
    })
      .addCatch(error, failing)
      .next(failed);
    // Before the owner's alert, so the tests-failed alarm fires even when the alert cannot be sent; a
    // metric that cannot be published goes on to the alert and changes nothing of the model's outcome.
    return testFailuresMetricTask(scope, props, names.publishTestFailures, model.id)
      .addCatch(alertTestFailed, { resultPath: sfn.JsonPath.DISCARD })
      .next(alertTestFailed);
  };
  const afterTests =
    errorTests.length === 0
      ? publish
      : new sfn.Choice(scope, names.checkTests)
          .when(
            anyOf(errorTests.map((test) => sfn.Condition.not(sfn.Condition.stringEquals(`${PATHS.tests}.${test.field}.failures`, '0')))),
            lineageEvent(
              names.writeLineageTestsFailed,
              {
                eventType: 'FAIL',
                errorMessage: sfn.JsonPath.format(
                  `An error-severity test of ${model.id} found failing rows, nothing was published; failures by test: {}`,
                  sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(PATHS.tests)),
                ),
              },
              testFailures(),
            ),
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
        taskTimeout: sfn.Timeout.duration(props.callTimeout),
      }),
      RETRY_POLICIES.athena,
    ).addCatch(alertError, failing);
    return [statement(step.name, step.athena, true), results];
  });
  const stageStates = build.steps.filter((step) => step.role === 'stage').map((step) => statement(step.name, step.athena, false));
  const run = startLineageRun(scope, names.startLineageRun, lineagePaths, { datasets: modelDatasets(model, props.identity), job: modelJob(model, props.identity) }).next(
    lineageEvent(names.writeLineageStart, { eventType: 'START' }, chainOf([...stageStates, ...testStates], afterTests)),
  );

  const affected = new sfn.Choice(scope, names.checkInputs);
  if (build.upstream.length > 0) {
    affected.when(
      anyOf(build.upstream.map((key) => sfn.Condition.booleanEquals(`${outcomePath(key)}.blocked`, true))),
      outcome(names.skipped, 'skipped', true),
    );
  }
  // An explicit selection decides alone: a model left out of it keeps its published table as it
  // is. Without one, a scheduled full build carries no dataset and an announcement builds only
  // what reads it. Presence tests and a second Choice, because a comparison with a path that is
  // absent is a runtime error.
  const triggered = new sfn.Choice(scope, names.checkTrigger)
    .when(anyOf(build.triggers.map((trigger) => sfn.Condition.stringEquals(PATHS.dataset, trigger))), run)
    .otherwise(outcome(names.notAffected, 'not-affected', false));
  return affected
    .when(sfn.Condition.isPresent(`${PATHS.selection}.${build.outcomeKey}`), run)
    .when(sfn.Condition.isPresent(PATHS.selection), outcome(names.notSelected, 'not-selected', false))
    .when(sfn.Condition.isPresent(PATHS.dataset), triggered)
    .otherwise(run);
}

/**
 * `ModelTestFailures` = 1 for a build in which error-severity tests of the model failed: how many
 * failed is not countable by JSONPath (each test's `failures` is a string in its own field), and an
 * alarm needs only that some did.
 */
function testFailuresMetricTask(scope: Construct, props: BuildStateGraphProps, id: string, model: string): tasks.CallAwsService {
  const dimensions = modelMetricDimensions({ environment: props.identity.environment, domain: props.plan.domain, model });
  return withRetry(
    new tasks.CallAwsService(scope, id, {
      service: 'cloudwatch',
      action: 'putMetricData',
      parameters: {
        Namespace: METRICS_NAMESPACE,
        MetricData: [
          {
            MetricName: OPERATIONAL_METRICS.modelTestFailures,
            Unit: 'Count',
            Value: 1,
            Dimensions: putMetricDataDimensions(dimensions),
          },
        ],
      },
      iamResources: ['*'],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.notification,
  );
}

function alert(scope: Construct, props: BuildStateGraphProps, id: string, subject: string, message: Record<string, unknown>): tasks.SnsPublish {
  return withRetry(
    new tasks.SnsPublish(scope, id, {
      topic: props.alertTopic,
      subject: alertSubject(subject),
      message: sfn.TaskInput.fromObject({ domain: props.plan.domain, execution: sfn.JsonPath.executionId, ...message }),
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.notification,
  );
}
