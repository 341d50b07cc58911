/**
 * The offline stand-in for a build's Athena Tasks, run under the synthesized build state machine:
 * LocalAthena answers each Athena Task with `buildQueries` on a connection confined to the lake;
 * the lock, alert and announcement Tasks are recording handlers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../../lib/local/lake/local-lake.ts';
import { openBuildConnection, type BuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import { BuildObservations } from '../../../lib/local/runtime/build-observations.ts';
import { buildQueries } from '../../../lib/local/runtime/build-query.ts';
import type { SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import { BUILD_STATES } from '../../../lib/pipeline/build-states.ts';
import type { LakeColumn } from '../../../lib/pipeline/lake-write.ts';
import { silverLakeColumns } from '../../../lib/pipeline/silver-table.ts';
import { buildPlan, type BuildPlan } from '../../../lib/transforms/build-plan.ts';
import { compileTransforms } from '../../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../../lib/transforms/infer-columns.ts';
import type { Placement } from '../../../lib/transforms/render.ts';
import { catalogWith, modelFile } from '../../transforms/helpers.ts';
import { runBuildMachine, synthesizeBuildMachine } from './build-machine.ts';

const placement: Placement = { database: (domain) => `acme_dev_${domain}` };
const sales = 'acme_dev_sales';

const catalog = catalogWith({
  'sales/status_counts': modelFile(
    'materialized: table\ncolumns:\n  - name: status\n    tests: [not_null, {accepted_values: {values: [placed, paid, shipped]}}]\n  - name: n\n    tests: [{not_null: {severity: warn}}]',
    "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status",
  ),
  'sales/shipped_counts': modelFile('materialized: view', "SELECT n FROM {{ ref('status_counts') }} WHERE status = 'shipped'"),
  'sales/shipped_total': modelFile('materialized: view', "SELECT sum(n) AS total FROM {{ ref('shipped_counts') }}"),
});

let plan: BuildPlan;
let columns: ReadonlyMap<string, readonly LakeColumn[]>;
let machine: SynthesizedStateMachine;

beforeAll(async () => {
  const dag = compileTransforms(catalog);
  columns = await inferModelColumns(dag);
  plan = buildPlan(dag, columns, 'sales', placement);
  machine = synthesizeBuildMachine(plan);
}, 120_000);

let root: string;
let lake: LocalLake;
const opened: BuildConnection[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'build-query-'));
  lake = new LocalLake(root);
  const orders = catalog.domains.find((domain) => domain.name === 'sales')!.datasets.find((dataset) => dataset.name === 'orders')!;
  lake.createTable(sales, 'orders', silverLakeColumns(orders));
});

afterEach(() => {
  for (const build of opened.splice(0)) build.close();
  rmSync(root, { recursive: true, force: true });
});

async function seedOrders(rows: readonly [string, string][]): Promise<void> {
  const { connection, close } = await openBuildConnection(lake);
  try {
    const values = rows.map(([id, status]) => `('${id}', '${status}', 'EUR')`).join(', ');
    await lake.write(connection, sales, 'orders', 'append', `INSERT INTO {{target}} BY NAME SELECT * FROM (VALUES ${values}) AS v(order_id, status, currency)`);
  } finally {
    close();
  }
}

/** One build execution, as a process would run it: its own confined connection, LocalAthena and observations. */
function build(input: JsonValue = {}, buildPlanOf: BuildPlan = plan) {
  return runBuildMachine({ machine, plan: buildPlanOf, columns, placement, lake, input });
}

/** A new process on the same lake folder: a new LocalLake and DuckDB instance, the lake attached. */
async function readAfterRestart(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await attachLake(connection, new LocalLake(root));
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('buildQueries under the synthesized build machine', () => {
  it('stages, tests and publishes each model: a table in one lake commit, views in the lake catalog', async () => {
    await seedOrders([['ORD-1', 'placed'], ['ORD-2', 'shipped'], ['ORD-3', 'shipped']]);
    const { execution, alerts, heldLocks, outcomes } = await build();
    expect([execution.status, execution.error, alerts, heldLocks]).toEqual(['SUCCEEDED', undefined, [], []]);
    expect(execution.visitedStates).toContain(BUILD_STATES.releaseLock);
    expect(execution.visitedStates.at(-1)).toBe(BUILD_STATES.built);

    const snapshots = lake.snapshots(sales, 'status_counts');
    expect(snapshots.map((snapshot) => snapshot.operation)).toEqual(['create', 'overwrite']);
    expect(outcomes.map(({ model, status, rows, snapshotId }) => ({ model, status, rows, snapshotId }))).toEqual([
      { model: 'sales/status_counts', status: 'published', rows: 2, snapshotId: snapshots[1]!.snapshotId },
      { model: 'sales/shipped_counts', status: 'published', rows: 0, snapshotId: null },
      { model: 'sales/shipped_total', status: 'published', rows: 0, snapshotId: null },
    ]);
    expect(outcomes[0]!.tests.map(({ name, passed, failedCount }) => [name, passed, failedCount])).toEqual([
      ['status.not_null', true, 0],
      ['status.accepted_values', true, 0],
      ['n.not_null', true, 0],
    ]);
    expect(await readAfterRestart(`SELECT status, n FROM "${sales}"."status_counts" ORDER BY status`)).toEqual([['placed', 1n], ['shipped', 2n]]);
    expect(await readAfterRestart(`SELECT total FROM "${sales}"."shipped_total"`)).toEqual([[2n]]);
  });

  it('reports a failed test with its failing rows, publishes nothing, skips what reads it and alerts the owner', async () => {
    await seedOrders([['ORD-1', 'placed']]);
    await build();
    const kept = lake.currentSnapshot(sales, 'status_counts').snapshotId;
    await seedOrders([['ORD-2', 'cancelled'], ['ORD-3', 'cancelled']]);

    const { execution, alerts, heldLocks, outcomes } = await build();
    expect([execution.status, execution.error, heldLocks]).toEqual(['FAILED', 'Build.ModelsFailed', []]);
    expect(lake.currentSnapshot(sales, 'status_counts').snapshotId).toBe(kept);
    const [statusCounts, shippedCounts] = outcomes;
    expect(statusCounts).toMatchObject({
      status: 'failed',
      rows: 2,
      snapshotId: kept,
      message: 'test status.accepted_values failed on 1 row: nothing was published',
    });
    expect(statusCounts!.tests.find((test) => test.name === 'status.accepted_values')).toMatchObject({
      passed: false,
      failedCount: 1,
      samples: [{ status: 'cancelled', n: 2 }],
    });
    expect(shippedCounts).toMatchObject({ status: 'skipped' });
    expect(alerts.map((alert) => (alert as { message: { alert: string } }).message.alert)).toEqual(['ModelTestFailed']);
  });

  it("builds only the selection in a later process, reading the earlier build's view from the lake", async () => {
    await seedOrders([['ORD-1', 'shipped']]);
    await build();
    await seedOrders([['ORD-2', 'shipped']]);

    const { execution, outcomes } = await build({ models: { sales__shipped_total: true } });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outcomes.map(({ model, status }) => [model, status])).toEqual([
      ['sales/status_counts', 'not-selected'],
      ['sales/shipped_counts', 'not-selected'],
      ['sales/shipped_total', 'published'],
    ]);
    expect(await readAfterRestart(`SELECT total FROM "${sales}"."shipped_total"`)).toEqual([[1n]]);
  });

  it('fails the stage query of a model DuckDB does not read as one SELECT, so the owner is alerted, and stages nothing', async () => {
    await seedOrders([['ORD-1', 'shipped']]);
    // The compiler refuses such a model before synth; this one's template changed after its
    // states were synthesized, so only DuckDB's own check, just before it runs, stands in the way.
    const tampered: BuildPlan = {
      ...plan,
      layers: plan.layers.map((layer) =>
        layer.map((entry) => (entry.model.name === 'status_counts' ? { ...entry, model: { ...entry.model, template: 'SELECT status, 1 AS n FROM "orders.csv"' } } : entry)),
      ),
    };
    const { execution, alerts, outcomes } = await build({}, tampered);
    expect([execution.status, execution.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    expect(execution.visitedStates).not.toContain('sales-status_counts-stage');
    expect(outcomes[0]).toMatchObject({ model: 'sales/status_counts', status: 'error', rows: 0 });
    expect(outcomes[0]!.message).toContain("DuckDB reads 'orders.csv' as a file, which is not allowed");
    expect(alerts).toHaveLength(1);
    expect((alerts[0] as { message: { alert: string; model: string } }).message).toMatchObject({ alert: 'ModelFailed', model: 'sales/status_counts' });
  });

  it('fails the first stage query of a model whose gold table has other columns, as its owner refuses the change', async () => {
    await seedOrders([['ORD-1', 'shipped']]);
    lake.createTable(sales, 'status_counts', [{ name: 'status', type: 'VARCHAR' }]);
    const { execution, alerts, outcomes } = await build();
    expect(execution.error).toBe('Build.ModelsFailed');
    expect(outcomes[0]).toMatchObject({ status: 'error' });
    expect(outcomes[0]!.message).toContain(
      '"acme_dev_sales"."status_counts" has columns (status VARCHAR) but the model now produces (status VARCHAR, n BIGINT): gold tables evolve only by added columns, through their owner',
    );
    expect(alerts).toHaveLength(1);
  });

  it('fails a query that is not the Athena rendering of its state, naming the state', async () => {
    await seedOrders([['ORD-1', 'shipped']]);
    const opening = await openBuildConnection(lake);
    opened.push(opening);
    const query = buildQueries({ plan, columns, placement, lake, connection: opening.connection, observations: new BuildObservations() });
    await expect(query('sales-status_counts-clear-staging')('DROP TABLE x')).rejects.toThrow(
      'state sales-status_counts-clear-staging: the query is not the Athena rendering of model step sales-status_counts-clear-staging',
    );
    await expect(query('Somewhere')('SELECT 1')).rejects.toThrow('state Somewhere runs no model step of the sales build');
  });
});
