import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { type SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { runStateMachine } from '../../lib/local/stepfunctions/run.ts';
import { listStates, type DefinitionState } from '../../lib/local/stepfunctions/states.ts';
import type { TaskHandlers } from '../../lib/local/stepfunctions/task-handlers.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import { errorWithoutCause } from '../pipeline/error-without-cause.ts';
import { METRICS_NAMESPACE } from '../../lib/ingest/validation-metrics.ts';
import { OPERATIONAL_METRICS } from '../../lib/pipeline/operational-metrics.ts';
import { CONDITION_FAILED, HOLDER_GONE } from '../../lib/constructs/lock-states.ts';
import { BUILD_STATES, layerStateName, modelStateNames } from '../../lib/pipeline/build-states.ts';
import { RETRY_POLICIES } from '../../lib/pipeline/retry-policy.ts';
import { EXPECTED_NEW_QUERY_RETRIER, expectedRetrier } from './expected-retriers.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { buildPlan, modelStatePrefix, resultsStateName, type BuildPlan } from '../../lib/transforms/build-plan.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { ModelsAtSynth } from '../../lib/transforms/models-at-synth.ts';
import { LAKE_TARGET } from '../../lib/transforms/model-steps.ts';
import { stagingRelation, type Placement } from '../../lib/transforms/render.ts';
import { catalogWith, modelFile } from '../transforms/helpers.ts';
import { settings } from './fixtures.ts';

const placement: Placement = { database: (domain) => `acme_dev_${domain}` };

const catalog = catalogWith({
  'sales/status_counts': modelFile(
    'materialized: table\ncolumns:\n  - name: status\n    tests: [not_null, {accepted_values: {values: [placed, paid, shipped]}}]\n  - name: n\n    tests: [{not_null: {severity: warn}}]',
    "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status",
  ),
  'sales/shipped_counts': modelFile('materialized: view', "SELECT n FROM {{ ref('status_counts') }} WHERE status = 'shipped'"),
  'marketing/order_mix': modelFile('materialized: table', "SELECT currency, count(*) AS n FROM {{ ref('sales/orders') }} GROUP BY currency"),
});

let models: ModelsAtSynth;
let stage: LakehouseStage;
let salesPlan: BuildPlan;
let salesBuild: SynthesizedStateMachine;

beforeAll(async () => {
  const dag = compileTransforms(catalog);
  models = { dag, columns: await inferModelColumns(dag) };
  [stage] = buildLakehouseApp(new App(), catalog, settings(), models) as [LakehouseStage];
  salesPlan = buildPlan(models.dag, models.columns, 'sales', placement);
  salesBuild = stageStateMachines(stage).find((machine) => machine.name === 'acme-dev-sales-build')!;
}, 180_000);

function domainTemplate(domain: string): Template {
  return Template.fromStack(stage.domains.get(domain)!.domain);
}

/** Every state of the definition, nested ones included, by name. */
function statesByName(): Map<string, DefinitionState> {
  return new Map(listStates(salesBuild.definition).map((state) => [state.name, state]));
}

function rawState(name: string): Record<string, unknown> {
  const find = (states: Record<string, Record<string, unknown>>): Record<string, unknown> | undefined => {
    if (states[name] !== undefined) return states[name];
    for (const state of Object.values(states)) {
      for (const branch of (state['Branches'] as { States: Record<string, Record<string, unknown>> }[] | undefined) ?? []) {
        const found = find(branch.States);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const found = find(salesBuild.definition.States as unknown as Record<string, Record<string, unknown>>);
  if (found === undefined) throw new Error(`no state ${name}`);
  return found;
}

describe('DomainBuild in the domain stack', () => {
  it('is started by DatasetLoaded of every input, including cross-domain ones, but not of its own models', () => {
    domainTemplate('sales').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['contract-lakehouse'], 'detail-type': ['DatasetLoaded'], detail: { dataset: ['sales/orders'] } },
    });
    domainTemplate('marketing').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { dataset: ['sales/orders'] } },
    });
  });

  it('runs a scheduled full build', () => {
    domainTemplate('sales').hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 1 * * ? *)' });
  });

  it('logs every event to a KMS-encrypted log group and traces with X-Ray', () => {
    const template = domainTemplate('sales');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'acme-dev-sales-build',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/acme-dev-sales-build',
      KmsKeyId: Match.anyValue(),
    });
  });

  it('has no build for a domain without models', () => {
    const [bare] = buildLakehouseApp(new App(), catalogWith({}), settings(), { dag: { models: [], edges: [], order: [] }, columns: new Map() });
    expect(bare!.domains.get('sales')!.domain.build).toBeUndefined();
  });
});

describe('the build definition', () => {
  it('has a state per step, layered: a model reading another runs in a later Parallel', () => {
    const states = statesByName();
    for (const step of salesPlan.layers.flat().flatMap((build) => build.steps)) expect(states.has(step.name), step.name).toBe(true);
    expect(states.get('sales-status_counts-stage')!.enclosing).toEqual(['BuildLayer1']);
    expect(states.get('sales-shipped_counts-publish')!.enclosing).toEqual(['BuildLayer2']);
  });

  it("carries each step's Athena rendering as its QueryString, in the domain's pipeline workgroup", () => {
    for (const step of salesPlan.layers.flat().flatMap((build) => build.steps)) {
      const state = rawState(step.name);
      expect(state['Resource']).toMatch(/:states:::athena:startQueryExecution\.sync$/);
      expect(state['Parameters']).toMatchObject({ QueryString: step.athena, WorkGroup: 'acme-dev-sales-pipeline' });
    }
  });

  it('reads failures from the second row of the result set and stops publication on an error-severity failure', () => {
    expect(rawState(resultsStateName('sales-status_counts-test-status_accepted_values'))['ResultSelector']).toEqual({
      'failures.$': '$.ResultSet.Rows[1].Data[0].VarCharValue',
    });
    const choice = rawState('sales-status_counts-check-tests');
    expect(choice['Type']).toBe('Choice');
    const conditions = JSON.stringify(choice['Choices']);
    expect(conditions).toContain('status_not_null.failures');
    expect(conditions).toContain('status_accepted_values.failures');
    expect(conditions).not.toContain('n_not_null');
    expect(choice['Default']).toBe('sales-status_counts-publish');
  });

  it('sets TimeoutSeconds on every Task', () => {
    const tasks = listStates(salesBuild.definition).filter((state) => state.type === 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    for (const task of tasks) expect(rawState(task.name)['TimeoutSeconds'], task.name).toBeGreaterThan(0);
  });

  it('retries and catches in every Task (and each layer) exactly as the graph means: what it calls decides how it retries, where it sits where it goes', () => {
    const P = RETRY_POLICIES;
    const retrier = expectedRetrier;
    const asNewQuery = EXPECTED_NEW_QUERY_RETRIER;
    const catchAll = (next: string, resultPath: string | null = '$.failure') => ({ ErrorEquals: ['States.ALL'], ResultPath: resultPath, Next: next });
    const onCondition = (next: string) => ({ ErrorEquals: [CONDITION_FAILED], ResultPath: null, Next: next });
    const toFailure = catchAll(BUILD_STATES.releaseLockAfterFailure);
    interface Handling {
      readonly calls: RegExp;
      readonly Retry?: unknown[];
      readonly Catch?: unknown[];
    }
    const lockCall = /:states:::dynamodb:(putItem|getItem|deleteItem)$/;
    const expected = new Map<string, Handling>([
      [BUILD_STATES.acquireLock, { calls: lockCall, Retry: [retrier(P.dynamodb)], Catch: [onCondition(BUILD_STATES.readLockHolder), toFailure] }],
      [BUILD_STATES.readLockHolder, { calls: lockCall, Retry: [retrier(P.dynamodb)], Catch: [toFailure] }],
      [
        BUILD_STATES.describeLockHolder,
        {
          calls: /:states:::aws-sdk:sfn:describeExecution$/,
          Retry: [{ ErrorEquals: [HOLDER_GONE], MaxAttempts: 0 }, retrier(P.notification)],
          Catch: [{ ErrorEquals: [HOLDER_GONE], ResultPath: null, Next: BUILD_STATES.takeOverLock }, toFailure],
        },
      ],
      [BUILD_STATES.takeOverLock, { calls: lockCall, Retry: [retrier(P.dynamodb)], Catch: [onCondition(BUILD_STATES.waitForLock), toFailure] }],
      [BUILD_STATES.releaseLock, { calls: lockCall, Retry: [retrier(P.dynamodb)], Catch: [catchAll(BUILD_STATES.alertFailed)] }],
      [
        BUILD_STATES.releaseLockAfterFailure,
        {
          calls: lockCall,
          Retry: [retrier(P.dynamodb)],
          Catch: [onCondition(BUILD_STATES.alertFailed), catchAll(BUILD_STATES.alertFailed, '$.lockReleaseFailure')],
        },
      ],
      // The last resort: nothing left to tell.
      [BUILD_STATES.alertFailed, { calls: /:states:::sns:publish$/, Retry: [retrier(P.notification)] }],
    ]);
    // No Catch on a layer: no catchable error leaves a branch, whose every Task catches.
    salesPlan.layers.forEach((_layer, index) => expected.set(layerStateName(index + 1), { calls: /^$/ }));
    for (const build of salesPlan.layers.flat()) {
      const names = modelStateNames(modelStatePrefix(build.model));
      // A failure is recorded as the run's FAIL lineage event, then alerted.
      const toAlert = catchAll(names.writeLineageError);
      for (const step of build.steps) {
        expected.set(step.name, { calls: /:states:::athena:startQueryExecution\.sync$/, Retry: [retrier(P.athena), asNewQuery], Catch: [toAlert] });
      }
      for (const test of build.tests) {
        expected.set(resultsStateName(test.step), { calls: /:states:::athena:getQueryResults$/, Retry: [retrier(P.athena)], Catch: [toAlert] });
      }
      expected.set(names.announce, { calls: /:states:::events:putEvents$/, Retry: [retrier(P.notification)], Catch: [toAlert] });
      // An alert that cannot be sent still ends the branch in its outcome, so the layer's other branches finish.
      expected.set(names.alertError, { calls: /:states:::sns:publish$/, Retry: [retrier(P.notification)], Catch: [catchAll(names.error)] });
      // A lineage event that cannot be written is caught into where the run was going.
      const lineageWrite = (next: string): Handling => ({
        calls: /:states:::aws-sdk:s3:putObject$/,
        Retry: [retrier(P.notification)],
        Catch: [catchAll(next, '$.lineageWriteFailure')],
      });
      expected.set(names.writeLineageStart, lineageWrite(build.steps[0]!.name));
      expected.set(names.writeLineagePublished, lineageWrite(names.published));
      expected.set(names.writeLineageError, lineageWrite(names.alertError));
      if (build.tests.some((test) => test.severity === 'error')) {
        // The metric before the owner's alert, so the tests-failed alarm does not hang on the alert.
        expected.set(names.writeLineageTestsFailed, lineageWrite(names.publishTestFailures));
        // A metric that cannot be published still alerts the owner and leaves the model failed, as its tests said.
        expected.set(names.publishTestFailures, {
          calls: /:states:::aws-sdk:cloudwatch:putMetricData$/,
          Retry: [retrier(P.notification)],
          Catch: [catchAll(names.alertTestFailed, null)],
        });
        expected.set(names.alertTestFailed, { calls: /:states:::sns:publish$/, Retry: [retrier(P.notification)], Catch: [catchAll(names.error)] });
      }
    }
    const handling = listStates(salesBuild.definition).filter((state) => state.type === 'Task' || state.type === 'Parallel');
    expect(handling.map((state) => state.name).sort()).toEqual([...expected.keys()].sort());
    for (const state of handling) {
      const { calls, ...errors } = expected.get(state.name)!;
      expect(state.resource ?? '', state.name).toMatch(calls);
      const raw = state.definition as unknown as Record<string, unknown>;
      expect({ Retry: raw['Retry'], Catch: raw['Catch'] }, state.name).toEqual({ Retry: errors.Retry, Catch: errors.Catch });
    }
  });
});

describe('the build, run offline on DuckDB', () => {
  let lake: LocalLake;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  const sales = 'acme_dev_sales';

  async function seedOrders(rows: readonly [string, string, string][]): Promise<void> {
    const values = rows.map(([id, status, currency]) => `('${id}', '${status}', '${currency}')`).join(', ');
    await lake.write(connection, sales, 'orders', 'append', `INSERT INTO {{target}} BY NAME SELECT * FROM (VALUES ${values}) AS v(order_id, status, currency)`);
  }

  async function rows(sql: string): Promise<unknown[][]> {
    await attachLake(connection, lake);
    return (await connection.runAndReadAll(sql)).getRows();
  }

  /**
   * Each Athena Task runs its step's DuckDB rendering, and a query that writes a model's table is
   * one lake commit, as one Athena query is one Iceberg commit. `inject` runs its SQL once, just
   * before the state it names: a fault the next query meets.
   */
  function handlers(
    recorded: { alerts: JsonValue[]; events: JsonValue[]; metrics: JsonValue[]; lineage: JsonValue[] },
    inject?: { readonly before: string; readonly sql: string },
    down: { readonly metrics?: boolean; readonly alerts?: boolean } = {},
  ): TaskHandlers {
    const steps = new Map(salesPlan.layers.flat().flatMap((build) => build.steps.map((step) => [step.name, { step, build }] as const)));
    const failures = new Map<string, number>();
    let injected = false;
    const result: Record<string, TaskHandlers[string]> = {};
    for (const state of listStates(salesBuild.definition).filter((candidate) => candidate.type === 'Task')) {
      const resource = state.resource ?? '';
      const found = steps.get(state.name);
      if (found !== undefined) {
        result[state.name] = async () => {
          const { step, build } = found;
          if (inject?.before === state.name && !injected) {
            injected = true;
            await connection.run(inject.sql);
          }
          const queryId = `${state.name}-${failures.size}`;
          if (step.role === 'test') failures.set(queryId, Number((await connection.runAndReadAll(step.duckdb)).getRows()[0]![0]));
          else if (step.duckdb.includes(LAKE_TARGET)) {
            const operation = build.model.materialized === 'incremental' ? 'merge' : 'overwrite';
            await lake.write(connection, sales, build.model.name, operation, step.duckdb);
          } else await connection.run(step.duckdb);
          return { QueryExecution: { QueryExecutionId: queryId, Status: { State: 'SUCCEEDED' } } };
        };
      } else if (resource.includes('athena:getQueryResults')) {
        result[state.name] = async (input) => {
          const count = failures.get((input as { QueryExecutionId: string }).QueryExecutionId)!;
          return { ResultSet: { Rows: [{ Data: [{ VarCharValue: 'failures' }] }, { Data: [{ VarCharValue: String(count) }] }] } };
        };
      } else if (resource.includes(':sns:')) {
        result[state.name] = async (input) => {
          if (down.alerts === true) throw new TaskError('SNS.InternalError', 'SNS is down');
          recorded.alerts.push(input);
        };
      } else if (resource.includes(':events:')) {
        result[state.name] = async (input) => void recorded.events.push(input);
      } else if (resource.includes(':s3:putObject')) {
        result[state.name] = async (input) => {
          recorded.lineage.push(input);
          return {};
        };
      } else if (resource.includes(':cloudwatch:putMetricData')) {
        result[state.name] = async (input) => {
          if (down.metrics === true) throw new TaskError('CloudWatch.InternalServiceFault', 'CloudWatch is down');
          recorded.metrics.push(input);
          return {};
        };
      } else {
        result[state.name] = async () => ({});
      }
    }
    return result;
  }

  async function run(input: JsonValue = {}, inject?: Parameters<typeof handlers>[1], down: Parameters<typeof handlers>[2] = {}, overrides: TaskHandlers = {}) {
    const recorded = { alerts: [] as JsonValue[], events: [] as JsonValue[], metrics: [] as JsonValue[], lineage: [] as JsonValue[] };
    const execution = await runStateMachine({
      definition: salesBuild.definition,
      input,
      handlers: { ...handlers(recorded, inject, down), ...overrides },
      retryPauseMs: 0,
      stateMachineArn: salesBuild.arn,
    });
    return { execution, ...recorded };
  }

  beforeEach(async () => {
    lake = new LocalLake(mkdtempSync(join(tmpdir(), 'domain-build-lake-')));
    const orders = catalog.domains.find((domain) => domain.name === 'sales')!.datasets.find((dataset) => dataset.name === 'orders')!;
    lake.createTable(sales, 'orders', silverLakeColumns(orders));
    // The owner's stand-ins: the gold table in the lake, the staging table on the run's connection.
    const statusCounts = salesPlan.layers[0]![0]!.model;
    lake.createTable(sales, 'status_counts', models.columns.get(statusCounts.id)!);
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    await attachLake(connection, lake);
    const definition = models.columns.get(statusCounts.id)!.map((column) => `"${column.name}" ${column.type}`).join(', ');
    await connection.run(`CREATE TABLE ${stagingRelation(statusCounts, placement)} (${definition})`);
  });

  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('stages, tests, publishes and announces each model in dependency order', async () => {
    await seedOrders([
      ['ORD-1', 'placed', 'EUR'],
      ['ORD-2', 'shipped', 'EUR'],
      ['ORD-3', 'shipped', 'SEK'],
    ]);
    const { execution, alerts, events } = await run();
    expect([execution.status, execution.error, execution.cause, alerts]).toEqual(['SUCCEEDED', undefined, undefined, []]);
    expect(execution.visitedStates.at(-1)).toBe(BUILD_STATES.built);
    expect(execution.visitedStates.indexOf('sales-status_counts-publish')).toBeLessThan(execution.visitedStates.indexOf('sales-shipped_counts-stage'));
    expect(await rows('SELECT status, n FROM "acme_dev_sales"."status_counts" ORDER BY status')).toEqual([
      ['placed', 1n],
      ['shipped', 2n],
    ]);
    expect(await rows('SELECT n FROM "acme_dev_sales"."shipped_counts"')).toEqual([[2n]]);
    expect(alerts).toEqual([]);
    expect(events.map((event) => (event as { Entries: { Detail: { dataset: string } }[] }).Entries[0]!.Detail.dataset)).toEqual([
      'sales/status_counts',
      'sales/shipped_counts',
    ]);
  });

  it('leaves the published table unchanged, alerts the owner and skips what reads it when an error-severity test fails', async () => {
    await seedOrders([['ORD-1', 'placed', 'EUR']]);
    expect((await run()).execution.status).toBe('SUCCEEDED');
    const published = lake.currentSnapshot(sales, 'status_counts').snapshotId;

    await seedOrders([['ORD-2', 'cancelled', 'EUR']]);
    const { execution, alerts, events, metrics } = await run();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Build.ModelsFailed');
    expect(execution.visitedStates).not.toContain('sales-status_counts-publish');
    expect(execution.visitedStates).toContain('sales-shipped_counts-skipped');
    expect(execution.visitedStates).toContain(BUILD_STATES.releaseLock);
    expect(lake.currentSnapshot(sales, 'status_counts').snapshotId).toBe(published);
    expect(await rows('SELECT status, n FROM "acme_dev_sales"."status_counts"')).toEqual([['placed', 1n]]);
    expect(alerts).toHaveLength(1);
    expect((alerts[0] as { Message: unknown }).Message).toMatchObject({
      alert: 'ModelTestFailed',
      model: 'sales/status_counts',
      owner: 'sales-data-engineering (sales-data@example.com)',
    });
    expect(events).toEqual([]);
    expect(metrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        MetricData: [
          {
            MetricName: OPERATIONAL_METRICS.modelTestFailures,
            Unit: 'Count',
            Value: 1,
            Dimensions: [
              { Name: 'Environment', Value: 'dev' },
              { Name: 'Domain', Value: 'sales' },
              { Name: 'Model', Value: 'sales/status_counts' },
            ],
          },
        ],
      },
    ]);
  });

  it('keeps the model failed and its owner alerted when the test-failure metric cannot be published', async () => {
    await seedOrders([['ORD-1', 'cancelled', 'EUR']]);
    const { execution, alerts, metrics } = await run({}, undefined, { metrics: true });
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    expect(execution.visitedStates).toContain('sales-status_counts-publish-test-failures');
    expect(execution.visitedStates).toContain('sales-status_counts-failed');
    expect(execution.visitedStates).not.toContain('sales-status_counts-error');
    expect([alerts.length, metrics]).toEqual([1, []]);
  });

  it("still publishes the test-failure metric, so the tests-failed alarm fires, when the owner's alert cannot be sent", async () => {
    await seedOrders([['ORD-1', 'cancelled', 'EUR']]);
    const { execution, alerts, metrics } = await run({}, undefined, { alerts: true });
    expect(execution.status).toBe('FAILED');
    expect(execution.visitedStates).toContain('sales-status_counts-alert-test-failed');
    expect(alerts).toEqual([]);
    expect(metrics.map((metric) => (metric as { MetricData: { MetricName: string; Value: number }[] }).MetricData[0])).toMatchObject([
      { MetricName: OPERATIONAL_METRICS.modelTestFailures, Value: 1 },
    ]);
  });

  it('keeps the previous contents readable, alerts the owner and fails the build when the publish query fails', async () => {
    await seedOrders([['ORD-1', 'placed', 'EUR'], ['ORD-2', 'shipped', 'EUR']]);
    expect((await run()).execution.status).toBe('SUCCEEDED');
    const published = lake.currentSnapshot(sales, 'status_counts').snapshotId;

    await seedOrders([['ORD-3', 'shipped', 'SEK']]);
    // A staged value that no longer casts to the published column's type: the publish query fails.
    const staging = stagingRelation(salesPlan.layers[0]![0]!.model, placement);
    const { execution, alerts, events } = await run({}, {
      before: 'sales-status_counts-publish',
      sql: `ALTER TABLE ${staging} ALTER n TYPE VARCHAR; UPDATE ${staging} SET n = 'not a count' WHERE status = 'shipped'`,
    });
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    expect(execution.visitedStates).toContain('sales-status_counts-publish');
    expect(execution.visitedStates).toContain('sales-shipped_counts-skipped');
    expect(lake.currentSnapshot(sales, 'status_counts').snapshotId).toBe(published);
    expect(await rows('SELECT status, n FROM "acme_dev_sales"."status_counts" ORDER BY status')).toEqual([
      ['placed', 1n],
      ['shipped', 1n],
    ]);
    expect(alerts).toHaveLength(1);
    expect((alerts[0] as { Message: { alert: string; failure: { Cause: string } } }).Message).toMatchObject({
      alert: 'ModelFailed',
      model: 'sales/status_counts',
      failure: { Cause: expect.stringContaining('not a count') },
    });
    expect(events).toEqual([]);
  });

  it("ends a failed model's branch in its error outcome, and the build at ModelsFailed, when the owner's alert cannot be sent", async () => {
    await seedOrders([['ORD-1', 'placed', 'EUR']]);
    const staging = stagingRelation(salesPlan.layers[0]![0]!.model, placement);
    const { execution, alerts } = await run(
      {},
      { before: 'sales-status_counts-publish', sql: `ALTER TABLE ${staging} ALTER n TYPE VARCHAR; UPDATE ${staging} SET n = 'not a count'` },
      { alerts: true },
    );
    // Failing, the alert would fail the layer's Parallel, which stops its other branches mid-run.
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    const visited = execution.visitedStates;
    const names = modelStateNames(modelStatePrefix(salesPlan.layers[0]![0]!.model));
    expect(visited.indexOf(names.writeLineageError)).toBeLessThan(visited.indexOf(names.alertError));
    expect(visited.indexOf(names.writeLineageError)).toBeGreaterThan(-1);
    expect(visited).toContain(names.error);
    expect(visited).not.toContain(BUILD_STATES.releaseLockAfterFailure);
    expect(alerts).toEqual([]);
  });

  it('writes the FAIL event and alerts the owner for a failure without a Cause, which AWS omits when the error carries none', async () => {
    await seedOrders([['ORD-1', 'placed', 'EUR']]);
    const statusCounts = salesPlan.layers[0]![0]!;
    const names = modelStateNames(modelStatePrefix(statusCounts.model));
    const publish = statusCounts.steps.find((step) => step.role === 'publish')!.name;
    const { execution, alerts, lineage } = await run({}, undefined, {}, {
      [publish]: async () => {
        throw errorWithoutCause('Athena.Unknown');
      },
    });
    // A path to an absent Cause would be States.Runtime, which no Catch in the branch handles.
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    expect(execution.visitedStates).toContain(names.error);
    const fail = (lineage as { Body: { eventType: string; run: { facets: { errorMessage?: { message: string } } } } }[]).find((write) => write.Body.eventType === 'FAIL');
    expect(JSON.parse(fail!.Body.run.facets.errorMessage!.message)).toEqual({ Error: 'Athena.Unknown' });
    expect((alerts[0] as { Message: unknown }).Message).toMatchObject({ alert: 'ModelFailed', failure: { Error: 'Athena.Unknown' } });
  });

  it('runs only the models an explicit selection names; a model left out keeps its published table and is read as it is', async () => {
    await seedOrders([['ORD-1', 'shipped', 'EUR']]);
    expect((await run()).execution.status).toBe('SUCCEEDED');
    const published = lake.currentSnapshot(sales, 'status_counts').snapshotId;

    await seedOrders([['ORD-2', 'shipped', 'SEK']]);
    // The selection decides alone, even when the input also announces a dataset the model reads.
    const { execution, events } = await run({ models: { sales__shipped_counts: true }, detail: { dataset: 'sales/customers' } });
    expect([execution.status, execution.error]).toEqual(['SUCCEEDED', undefined]);
    expect(execution.visitedStates).toContain('sales-status_counts-not-selected');
    expect(execution.visitedStates).not.toContain('sales-status_counts-stage');
    expect(execution.visitedStates).toContain('sales-shipped_counts-publish');
    expect(lake.currentSnapshot(sales, 'status_counts').snapshotId).toBe(published);
    expect(await rows('SELECT n FROM "acme_dev_sales"."shipped_counts"')).toEqual([[1n]]);
    expect(events.map((event) => (event as { Entries: { Detail: { dataset: string } }[] }).Entries[0]!.Detail.dataset)).toEqual(['sales/shipped_counts']);
  });

  it('builds nothing for an announcement no model reads', async () => {
    const { execution } = await run({ detail: { dataset: 'sales/customers' } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.visitedStates).toContain('sales-status_counts-not-affected');
    expect(execution.visitedStates).not.toContain('sales-status_counts-stage');
  });
});
