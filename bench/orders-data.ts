import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../lib/sql/duckdb.ts';

export type BenchFormat = 'csv' | 'parquet';

/** Part of every data file's name: a change to what the generator writes must bump it, so stale files are not reused. */
export const GENERATOR_VERSION = 2;

/** Every defect comes back once per this many rows, at the row offsets of `DEFECT_OFFSETS`. */
export const DEFECT_PERIOD = 100_000;

/**
 * Where in each period a row breaks the benchmark contract, one rule per row, so a file holds
 * what a real delivery does (a few bad rows among good ones) and validation takes its real path:
 * failed rules, samples, and quarantined rows beside the typed Parquet of the passing rows.
 */
export const DEFECT_OFFSETS = {
  /** Repeats the previous row's `order_id`: both rows fail `order_id.unique`. */
  repeatedOrderId: 49_999,
  unknownStatus: 59_999,
  unknownCurrency: 69_999,
  zeroAmount: 79_999,
  amountAboveMaximum: 89_999,
  malformedCustomerId: 99_999,
} as const;

/** When the generated files arrive: the first row's `order_ts`, the newest, is six hours old by then, inside the contract's 2-day freshness. */
export const INGEST_TIME = new Date('2026-12-01T06:00:00Z');

/** Order ids have eight digits (the contract's pattern), so more rows would repeat ids by truncation. */
export const MAX_ROWS = 100_000_000;

const at = (offset: number) => `range % ${DEFECT_PERIOD} = ${offset}`;

/**
 * The benchmark's orders as typed columns, row `range` (0-based) computed from its position
 * alone, so any run on any machine writes the same rows. Run with `SET TimeZone = 'UTC'`.
 */
export function ordersSql(rows: number): string {
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new Error(`rows must be a whole number from 0 to ${MAX_ROWS.toLocaleString('en-US')}, got ${rows}`);
  }
  const offsets = DEFECT_OFFSETS;
  return `SELECT
  'ORD-' || lpad((CASE WHEN ${at(offsets.repeatedOrderId)} THEN range - 1 ELSE range END)::VARCHAR, 8, '0') AS order_id,
  CASE WHEN ${at(offsets.malformedCustomerId)} THEN 'CUS-' || (range // ${DEFECT_PERIOD})::VARCHAR || 'X'
    ELSE 'CUS-' || lpad(((range * 7919) % 900000)::VARCHAR, 6, '0') END AS customer_id,
  (TIMESTAMP '2026-11-30 23:59:59' - to_seconds((range * 37) % 2592000))::TIMESTAMPTZ AS order_ts,
  CASE WHEN ${at(offsets.unknownStatus)} THEN 'lost'
    ELSE ['placed', 'paid', 'shipped', 'delivered', 'cancelled'][range % 5 + 1] END AS status,
  CASE WHEN ${at(offsets.unknownCurrency)} THEN 'XXX'
    ELSE ['EUR', 'EUR', 'EUR', 'GBP', 'USD', 'CHF', 'SEK'][range % 7 + 1] END AS currency,
  CASE WHEN ${at(offsets.zeroAmount)} THEN 0::DECIMAL(12,2)
    WHEN ${at(offsets.amountAboveMaximum)} THEN 60000::DECIMAL(12,2)
    ELSE (((range * 7) % 100000 + 1) / 100)::DECIMAL(12,2) END AS amount
FROM range(${rows})`;
}

/** The same rows as a CSV export writes them: ISO-8601 UTC timestamps, amounts with two decimals. */
function csvRowsSql(rows: number): string {
  return `SELECT order_id, customer_id, strftime(order_ts, '%Y-%m-%dT%H:%M:%SZ') AS order_ts, status, currency, amount::VARCHAR AS amount
FROM (${ordersSql(rows)})`;
}

/** How many rows in `[0, rows)` sit at `offset` of a period. */
function occurrences(rows: number, offset: number): number {
  return rows > offset ? Math.floor((rows - 1 - offset) / DEFECT_PERIOD) + 1 : 0;
}

/** Failing rows per rule id of `bench/contracts/bench/orders.yaml` in a file of `rows` rows; rules not named fail no row. */
export function expectedFailures(rows: number): Readonly<Record<string, number>> {
  const offsets = DEFECT_OFFSETS;
  return {
    'order_id.unique': 2 * occurrences(rows, offsets.repeatedOrderId),
    status_known: occurrences(rows, offsets.unknownStatus),
    currency_known: occurrences(rows, offsets.unknownCurrency),
    'amount.exclusiveMinimum': occurrences(rows, offsets.zeroAmount),
    'amount.maximum': occurrences(rows, offsets.amountAboveMaximum),
    'customer_id.pattern': occurrences(rows, offsets.malformedCustomerId),
  };
}

/** Every defect row fails one rule and no two defects share a row, so the quarantined rows are the failures' sum. */
export function expectedQuarantinedRows(rows: number): number {
  return Object.values(expectedFailures(rows)).reduce((sum, count) => sum + count, 0);
}

export function ordersFileName(rows: number, format: BenchFormat): string {
  return `orders-g${GENERATOR_VERSION}-${rows}.${format}`;
}

/** Writes the orders file with DuckDB, through a temporary name so an interrupted run leaves no file to reuse. */
export async function writeOrdersFile(file: string, rows: number, format: BenchFormat): Promise<void> {
  const partial = `${file}.partial`;
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      const query = format === 'csv' ? csvRowsSql(rows) : ordersSql(rows);
      const options = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet';
      await connection.run(`COPY (${query}) TO ${duckdb.string(partial)} (${options})`);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  await rename(partial, file);
}

/** The orders file of this size and format in `directory`, generated only when absent. */
export async function ensureOrdersFile(directory: string, rows: number, format: BenchFormat): Promise<{ file: string; generated: boolean }> {
  const file = join(directory, ordersFileName(rows, format));
  if (existsSync(file)) return { file, generated: false };
  await mkdir(directory, { recursive: true });
  await rm(`${file}.partial`, { force: true });
  await writeOrdersFile(file, rows, format);
  return { file, generated: true };
}
