import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../lib/sql/duckdb.ts';

/** Part of the file's name: a change to what the generator writes must bump it, so stale files are not reused. */
const GENERATOR_VERSION = 1;

/**
 * When the generated export and the sample file arrive. The newest generated order is six hours
 * older, and the sample's orders are of the day before, inside the contract's 2-day freshness.
 */
export const SILVER_INGEST_TIME = new Date('2026-11-21T06:00:00Z');

/**
 * Orders in the shape of `contracts/sales/orders.yaml`, every row valid, so the whole file is
 * loaded: row `range` computed from its position alone. Ids start at ORD-20000000, so the sample
 * file's orders (ORD-1000xxxx) are new keys to the generated table. Order times are one second
 * apart backwards, so (customer_id, order_ts) never repeats.
 */
function silverOrdersSql(rows: number): string {
  return `SELECT
  'ORD-' || (20000000 + range)::VARCHAR AS order_id,
  'CUS-' || lpad(((range * 7919) % 900000)::VARCHAR, 6, '0') AS customer_id,
  'buyer' || range::VARCHAR || '@example.com' AS customer_email,
  strftime(TIMESTAMP '2026-11-21 00:00:00' - to_seconds(range), '%Y-%m-%dT%H:%M:%SZ') AS order_ts,
  strftime(TIMESTAMP '2026-11-21 00:00:00' - to_seconds(range), '%Y-%m-%d') AS order_date,
  ['placed', 'paid', 'shipped', 'delivered', 'cancelled'][range % 5 + 1] AS status,
  ['web', 'store', 'mobile_app'][range % 3 + 1] AS sales_channel,
  ['EUR', 'EUR', 'GBP', 'USD', 'CHF', 'SEK'][range % 6 + 1] AS currency,
  (((range * 7) % 100000 + 1) / 100)::DECIMAL(12,2)::VARCHAR AS amount,
  (range % 9 + 1)::VARCHAR AS quantity,
  'PAY-' || lpad(range::VARCHAR, 10, '0') AS payment_id,
  strftime(TIMESTAMP '2026-11-21 00:00:00' - to_seconds(range) + INTERVAL 1 HOUR, '%Y-%m-%dT%H:%M:%SZ') AS shipped_ts
FROM range(${rows})`;
}

/** The generated orders CSV of this size in `directory`, written only when absent (through a temporary name). */
export async function ensureSilverOrdersFile(directory: string, rows: number): Promise<string> {
  const file = join(directory, `sales-orders-g${GENERATOR_VERSION}-${rows}.csv`);
  if (existsSync(file)) return file;
  await mkdir(directory, { recursive: true });
  const partial = `${file}.partial`;
  await rm(partial, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      await connection.run(`COPY (${silverOrdersSql(rows)}) TO ${duckdb.string(partial)} (FORMAT csv, HEADER true)`);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  await rename(partial, file);
  return file;
}
