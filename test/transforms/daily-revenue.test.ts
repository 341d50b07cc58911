/**
 * The shipped incremental model `sales/daily_revenue` through the local build: a late update of
 * an old order (a cancellation) reaches its group, a group whose orders were all cancelled loses
 * its revenue, and every published group equals a full recomputation over silver.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { buildPlan } from '../../lib/transforms/build-plan.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { Placement } from '../../lib/transforms/render.ts';
import { runBuildMachine, synthesizeBuildMachine } from '../local/runtime/build-machine.ts';
import { catalogWith, repoContracts } from './helpers.ts';

const SALES = 'acme_dev_sales';
const catalog = catalogWith({ 'sales/daily_revenue': readFileSync(join(repoContracts, 'sales', 'transforms', 'daily_revenue.sql'), 'utf8') });
const orders = catalog.domains.find((domain) => domain.name === 'sales')!.datasets.find((dataset) => dataset.name === 'orders')!;

/** [order id, order date, status, currency, amount], as one delivery landed at `ingestedAt` writes them. */
type Order = readonly [string, string, string, string, number];

let root: string;
let lake: LocalLake;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'daily-revenue-'));
  lake = new LocalLake(root);
  lake.createTable(SALES, 'orders', silverLakeColumns(orders));
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});

afterEach(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(root, { recursive: true, force: true });
});

/** A delivery merged into silver by order id, as the load step does for a later delivery. */
async function deliver(ingestedAt: string, rows: readonly Order[]): Promise<void> {
  const values = rows.map(([id, date, status, currency, amount]) => `('${id}', DATE '${date}', '${status}', '${currency}', ${amount})`).join(', ');
  await lake.write(connection, SALES, 'orders', 'merge', [
    `MERGE INTO {{target}} AS t USING (SELECT *, TIMESTAMP '${ingestedAt}' AS _ingested_at FROM (VALUES ${values}) AS v(order_id, order_date, status, currency, amount)) AS s
     ON t.order_id = s.order_id
     WHEN MATCHED THEN UPDATE SET order_date = s.order_date, status = s.status, currency = s.currency, amount = s.amount, _ingested_at = s._ingested_at
     WHEN NOT MATCHED THEN INSERT BY NAME`,
  ]);
}

const placement: Placement = { database: (domain) => `acme_dev_${domain}` };
let compiled: { plan: ReturnType<typeof buildPlan>; columns: Awaited<ReturnType<typeof inferModelColumns>>; machine: ReturnType<typeof synthesizeBuildMachine> };

beforeAll(async () => {
  const dag = compileTransforms(catalog);
  const columns = await inferModelColumns(dag);
  const plan = buildPlan(dag, columns, 'sales', placement);
  compiled = { plan, columns, machine: synthesizeBuildMachine(plan) };
}, 120_000);

/** The sales build machine, synthesized from the shipped model, run offline. */
async function build() {
  const { outcomes } = await runBuildMachine({ ...compiled, placement, lake });
  return outcomes.find((outcome) => outcome.model === 'sales/daily_revenue')!;
}

async function rows(sql: string): Promise<unknown[][]> {
  const reader = await instance.connect();
  try {
    await attachLake(reader, lake);
    return (await reader.runAndReadAll(sql)).getRows().map((row) => row.map((value) => (value === null || typeof value !== 'object' ? value : String(value))));
  } finally {
    reader.closeSync();
  }
}

const published = () =>
  rows(`SELECT CAST(order_date AS VARCHAR), currency, CAST(revenue AS DOUBLE), CAST(orders AS INTEGER) FROM "${SALES}"."daily_revenue" ORDER BY 1, 2`);

/** What a full rebuild would publish, from silver as it is now. */
const truth = () =>
  rows(
    `SELECT CAST(order_date AS VARCHAR), currency, CAST(sum(CASE WHEN status <> 'cancelled' THEN amount ELSE 0 END) AS DOUBLE), ` +
      `CAST(sum(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END) AS INTEGER) FROM "${SALES}"."orders" GROUP BY 1, 2 ORDER BY 1, 2`,
  );

describe('sales/daily_revenue, incremental', () => {
  it('recomputes the groups of late updates, a cancelled older order and an all-cancelled group included', async () => {
    await deliver('2026-11-21 06:00:00', [
      ['ORD-1', '2026-11-20', 'placed', 'EUR', 100],
      ['ORD-2', '2026-11-20', 'shipped', 'EUR', 50],
      ['ORD-3', '2026-11-21', 'placed', 'EUR', 30],
      ['ORD-4', '2026-11-21', 'paid', 'SEK', 10],
    ]);
    expect(await build()).toMatchObject({ status: 'published', rows: 3 });
    expect(await published()).toEqual(await truth());

    // A day later: two old orders cancelled, one new order.
    await deliver('2026-11-22 06:00:00', [
      ['ORD-1', '2026-11-20', 'cancelled', 'EUR', 100],
      ['ORD-4', '2026-11-21', 'cancelled', 'SEK', 10],
      ['ORD-5', '2026-11-22', 'placed', 'EUR', 7],
    ]);
    expect(await build()).toMatchObject({ status: 'published', rows: 3 });
    expect(await published()).toEqual([
      ['2026-11-20', 'EUR', 50, 1],
      ['2026-11-21', 'EUR', 30, 1],
      ['2026-11-21', 'SEK', 0, 0],
      ['2026-11-22', 'EUR', 7, 1],
    ]);
    expect(await published()).toEqual(await truth());
  });

  it('recomputes nothing when no delivery arrived since the last build', async () => {
    await deliver('2026-11-21 06:00:00', [['ORD-1', '2026-11-20', 'placed', 'EUR', 100]]);
    await build();
    const before = await published();
    // As in the cloud, every build publishes: here a merge of no rows.
    expect(await build()).toMatchObject({ status: 'published', rows: 0 });
    expect(await published()).toEqual(before);
  });
});
