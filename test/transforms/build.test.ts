import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../lib/contracts/model.ts';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { buildPlan } from '../../lib/transforms/build-plan.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { Placement } from '../../lib/transforms/render.ts';
import type { RunEvent } from '../../lib/pipeline/lineage/run-event.ts';
import { withDuckDb } from '../helpers/with-duckdb.ts';
import { runBuildMachine, synthesizeBuildMachine } from '../local/runtime/build-machine.ts';
import { catalogWith, modelFile } from './helpers.ts';

const placement: Placement = { database: (domain) => `acme_dev_${domain}` };

const catalog = catalogWith({
  'sales/daily_revenue': modelFile(
    "materialized: incremental\nunique_key: [order_date, currency]\ncolumns:\n  - name: currency\n    tests:\n      - accepted_values:\n          values: [EUR, SEK]",
    `SELECT order_date, currency, sum(amount) AS revenue, count(*) AS orders FROM {{ ref('orders') }}
{% if is_incremental() %} WHERE order_date >= coalesce((SELECT max(order_date) FROM {{ this }}), DATE '1970-01-01') {% endif %}
GROUP BY order_date, currency`,
  ),
  'sales/status_counts': modelFile(
    "materialized: table\ncolumns:\n  - name: status\n    tests: [not_null, unique, {accepted_values: {values: [placed, paid, shipped]}}]\ntests:\n  - name: counts_positive\n    sql: SELECT * FROM {{ this }} WHERE n <= 0",
    "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status",
  ),
  'sales/shipped_counts': modelFile('materialized: view', "SELECT n FROM {{ ref('status_counts') }} WHERE status = 'shipped'"),
});

let lake: LocalLake;

function seedOrders(rows: readonly [string, string, string, string, number][]): Promise<unknown> {
  const values = rows.map(([id, date, status, currency, amount]) => `('${id}', DATE '${date}', '${status}', '${currency}', ${amount})`).join(', ');
  return withDuckDb((connection) =>
    lake.write(connection, 'acme_dev_sales', 'orders', 'append', `INSERT INTO {{target}} BY NAME SELECT * FROM (VALUES ${values}) AS v(order_id, order_date, status, currency, amount)`),
  );
}

function query(sql: string): Promise<unknown[][]> {
  return withDuckDb(async (connection) => {
    await attachLake(connection, lake);
    return (await connection.runAndReadAll(sql)).getRows().map((row) => row.map((value) => (value === null || typeof value !== 'object' ? value : String(value))));
  });
}

/** Each catalog's sales build, compiled and synthesized once. */
const builds = new Map<Catalog, ReturnType<typeof compileBuild>>();

async function compileBuild(from: Catalog) {
  const dag = compileTransforms(from);
  const columns = await inferModelColumns(dag);
  const plan = buildPlan(dag, columns, 'sales', placement);
  return { plan, columns, machine: synthesizeBuildMachine(plan) };
}

/** The lineage events the last `build` wrote, with their keys. */
let lineageWrites: { Key: string; Body: RunEvent }[] = [];

/** Runs the synthesized sales build with `select` as its selection; the outcomes of the selected models, in DAG order. */
async function build(select: readonly string[], from: Catalog = catalog) {
  if (!builds.has(from)) builds.set(from, compileBuild(from));
  const { plan, columns, machine } = await builds.get(from)!;
  const selected = plan.layers.flat().filter((entry) => select.includes(entry.model.id));
  const input = { models: Object.fromEntries(selected.map((entry) => [entry.outcomeKey, true])) };
  const run = await runBuildMachine({ machine, plan, columns, placement, lake, input });
  lineageWrites = run.lineageWrites as unknown as typeof lineageWrites;
  return run.outcomes.filter((outcome) => select.includes(outcome.model));
}

beforeEach(async () => {
  lake = new LocalLake(mkdtempSync(join(tmpdir(), 'transforms-lake-')));
  lake.createTable('acme_dev_sales', 'orders', silverLakeColumns(catalog.domains.find((d) => d.name === 'sales')!.datasets.find((d) => d.name === 'orders')!));
  await seedOrders([
    ['ORD-1', '2026-11-20', 'placed', 'EUR', 10.5],
    ['ORD-2', '2026-11-20', 'shipped', 'EUR', 4.5],
    ['ORD-3', '2026-11-21', 'shipped', 'SEK', 30],
  ]);
});

describe('the build machine offline: incremental', () => {
  it('merges new rows on the unique key, and a run with nothing new publishes the same rows', async () => {
    const [first] = await build(['sales/daily_revenue']);
    expect(first).toMatchObject({ status: 'published', rows: 2, tests: [{ name: 'currency.accepted_values', passed: true }] });
    const sql = 'SELECT CAST(order_date AS VARCHAR), currency, CAST(revenue AS DOUBLE), orders FROM "acme_dev_sales"."daily_revenue" ORDER BY 1, 2';
    expect(await query(sql)).toEqual([
      ['2026-11-20', 'EUR', 15, 2n],
      ['2026-11-21', 'SEK', 30, 1n],
    ]);

    // As in the cloud, every build publishes: the groups recomputed merge onto equal rows.
    const [again] = await build(['sales/daily_revenue']);
    expect(again).toMatchObject({ status: 'published' });
    expect(await query(sql)).toEqual([
      ['2026-11-20', 'EUR', 15, 2n],
      ['2026-11-21', 'SEK', 30, 1n],
    ]);

    await seedOrders([
      ['ORD-4', '2026-11-21', 'paid', 'SEK', 5],
      ['ORD-5', '2026-11-22', 'paid', 'EUR', 1],
    ]);
    const [merged] = await build(['sales/daily_revenue']);
    expect(merged).toMatchObject({ status: 'published', rows: 2 });
    expect(merged!.snapshotId).not.toBe(first!.snapshotId);
    expect(await query(sql)).toEqual([
      ['2026-11-20', 'EUR', 15, 2n],
      ['2026-11-21', 'SEK', 35, 2n],
      ['2026-11-22', 'EUR', 1, 1n],
    ]);
  });

  it('tests only the new rows and merges nothing when one fails', async () => {
    const [first] = await build(['sales/daily_revenue']);
    await seedOrders([['ORD-9', '2026-11-23', 'paid', 'USD', 7]]);
    const [failed] = await build(['sales/daily_revenue']);
    expect(failed).toMatchObject({ status: 'failed', snapshotId: first!.snapshotId, rows: 2 });
    expect(failed!.tests[0]).toMatchObject({ name: 'currency.accepted_values', passed: false, failedCount: 1, samples: [{ order_date: '2026-11-23', currency: 'USD', revenue: 7, orders: 1 }] });
    expect(lake.currentSnapshot('acme_dev_sales', 'daily_revenue').snapshotId).toBe(first!.snapshotId);
  });
});

describe('the build machine offline: write-audit-publish of a table', () => {
  it('publishes after its tests pass, then a failing test leaves the published table readable and unchanged', async () => {
    const [published, view] = await build(['sales/status_counts', 'sales/shipped_counts']);
    expect(published).toMatchObject({ status: 'published', rows: 2 });
    expect(published!.tests.every((test) => test.passed)).toBe(true);
    expect(published!.tests.map((test) => test.name)).toEqual(['status.not_null', 'status.unique', 'status.accepted_values', 'counts_positive']);
    expect(view).toMatchObject({ status: 'published', snapshotId: null });
    const sql = 'SELECT status, n FROM "acme_dev_sales"."status_counts" ORDER BY status';
    expect(await query(sql)).toEqual([['placed', 1n], ['shipped', 2n]]);

    await seedOrders([['ORD-7', '2026-11-22', 'cancelled', 'EUR', 3]]);
    const [failed, skipped] = await build(['sales/status_counts', 'sales/shipped_counts']);
    expect(failed).toMatchObject({ status: 'failed', snapshotId: published!.snapshotId, message: 'test status.accepted_values failed on 1 row: nothing was published' });
    expect(failed!.tests.find((test) => test.name === 'status.accepted_values')!.samples).toEqual([{ status: 'cancelled', n: 1 }]);
    expect(skipped).toMatchObject({ status: 'skipped', message: 'a model it reads did not publish in this build' });
    // The failed run's lineage: START, then FAIL naming the failing test; the skipped model did not run.
    expect(lineageWrites.map(({ Key, Body }) => [Body.job.name, Body.eventType, Key.split('-').at(-1)])).toEqual([
      ['sales.status_counts', 'START', 'START.json'],
      ['sales.status_counts', 'FAIL', 'FAIL.json'],
    ]);
    expect(lineageWrites[1]!.Body.run.facets['errorMessage']).toMatchObject({ message: expect.stringMatching(/failures by test: \{.*"failures":"1"/) });
    expect(lake.currentSnapshot('acme_dev_sales', 'status_counts').snapshotId).toBe(published!.snapshotId);
    expect(await query(sql)).toEqual([['placed', 1n], ['shipped', 2n]]);
  });

  it('lets warning-severity tests fail without blocking publication', async () => {
    const warned = catalogWith({
      'sales/status_counts': modelFile('materialized: table\ncolumns:\n  - name: status\n    tests: [{accepted_values: {values: [placed], severity: warn}}]', "SELECT status, count(*) AS n FROM {{ ref('orders') }} GROUP BY status"),
    });
    const [outcome] = await build(['sales/status_counts'], warned);
    expect(outcome).toMatchObject({ status: 'published', tests: [{ passed: false, severity: 'warning', failedCount: 1 }] });
  });

  it('reports a missing input instead of building on nothing', async () => {
    const needsCustomers = catalogWith({ 'sales/countries': modelFile('materialized: table', "SELECT DISTINCT country_code FROM {{ ref('customers') }}") });
    const [outcome] = await build(['sales/countries'], needsCustomers);
    expect(outcome).toMatchObject({ status: 'error', message: 'input sales/customers has no table "acme_dev_sales"."customers_v2" in the lake yet: load it first (lakehouse run)' });
  });
});

describe('the build machine offline: a table is published in one commit that replaces its contents', () => {
  // Nulls in the first column and repeated rows: the rows the delete markers and the insert must get right.
  const statuses = catalogWith({
    'sales/order_statuses': modelFile('materialized: table', "SELECT nullif(status, 'placed') AS status, currency, amount FROM {{ ref('orders') }}"),
  });
  const published = 'SELECT status, currency, count(*) AS n FROM "acme_dev_sales"."order_statuses" GROUP BY ALL ORDER BY ALL';

  it('replaces every published row by exactly the new rows, repeated and null ones included, and an empty result empties the table', async () => {
    const [first] = await build(['sales/order_statuses'], statuses);
    expect(first).toMatchObject({ status: 'published', rows: 3 });
    expect(await query(published)).toEqual([['shipped', 'EUR', 1n], ['shipped', 'SEK', 1n], [null, 'EUR', 1n]]);

    await seedOrders([
      ['ORD-4', '2026-11-22', 'placed', 'EUR', 1],
      ['ORD-5', '2026-11-22', 'shipped', 'SEK', 2],
    ]);
    const [second] = await build(['sales/order_statuses'], statuses);
    expect(second).toMatchObject({ status: 'published', rows: 5 });
    expect(await query(published)).toEqual([['shipped', 'EUR', 1n], ['shipped', 'SEK', 2n], [null, 'EUR', 2n]]);
    expect(lake.snapshots('acme_dev_sales', 'order_statuses').map((snapshot) => snapshot.operation)).toEqual(['create', 'overwrite', 'overwrite']);

    await withDuckDb((connection) => lake.write(connection, 'acme_dev_sales', 'orders', 'delete', 'DELETE FROM {{target}}'));
    const [emptied] = await build(['sales/order_statuses'], statuses);
    expect(emptied).toMatchObject({ status: 'published', rows: 0 });
    expect(emptied!.snapshotId).not.toBe(second!.snapshotId);
    expect(await query(published)).toEqual([]);
  });

  it('keeps the previous contents readable and reports the error when the publish statement fails', async () => {
    const [first] = await build(['sales/order_statuses'], statuses);
    await seedOrders([['ORD-4', '2026-11-22', 'shipped', 'SEK', 2]]);
    // At publish time a staged value no longer casts to the published column's type.
    class PublishMeetsBadValue extends LocalLake {
      override async write(...args: Parameters<LocalLake['write']>) {
        const staging = '"acme_dev_sales"."order_statuses__staging"';
        await args[0].run(`ALTER TABLE ${staging} ALTER amount TYPE VARCHAR; UPDATE ${staging} SET amount = 'not an amount' WHERE currency = 'SEK'`);
        return super.write(...args);
      }
    }
    lake = new PublishMeetsBadValue(lake.root);
    const [failed] = await build(['sales/order_statuses'], statuses);
    expect(failed).toMatchObject({ status: 'error' });
    expect(failed!.message).toMatch(/^overwrite on acme_dev_sales.order_statuses failed and committed nothing: .*Could not convert string "not an amount"/);
    expect(lake.currentSnapshot('acme_dev_sales', 'order_statuses').snapshotId).toBe(first!.snapshotId);
    expect(await query(published)).toEqual([['shipped', 'EUR', 1n], ['shipped', 'SEK', 1n], [null, 'EUR', 1n]]);
  });
});
