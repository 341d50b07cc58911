import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { columnsOf, datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

const folder = useScratchFolder();
const connection = useDuckDb();

const orders = (unknownColumns: 'fail' | 'ignore' = 'fail') => datasetFor(folder(), { format: 'parquet', columns: ORDER_COLUMNS, unknownColumns });

/** Writes a Parquet file with DuckDB, as the validated zone and most writers would. */
async function writeParquet(name: string, select: string): Promise<string> {
  const file = join(folder(), name);
  await connection().run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  return file;
}

const THREE_ORDERS =
  "SELECT amount, 'A' || i AS order_id, 'customer ' || i AS customer FROM (SELECT i, i * 1.5 AS amount FROM range(1, 4) t(i)) ORDER BY i";

describe('openSource on Parquet', () => {
  it('exposes _row from 1 and the contract columns in contract order with their Parquet types', async () => {
    const file = await writeParquet('orders.parquet', THREE_ORDERS);

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await columnsOf(connection(), 'source_rows')).toEqual(['_row BIGINT', 'order_id VARCHAR', 'customer VARCHAR', 'amount DECIMAL(21,1)']);
    const rows = await rowsOf(connection(), 'source_rows');
    expect(rows.map((row) => [row['_row'], row['order_id'], row['customer'], String(row['amount'])])).toEqual([
      [1, 'A1', 'customer 1', '1.5'],
      [2, 'A2', 'customer 2', '3'],
      [3, 'A3', 'customer 3', '4.5'],
    ]);
  });

  it('drops columns the contract does not declare when unknownColumns is ignore', async () => {
    const file = await writeParquet('extra-ignored.parquet', "SELECT 'A1' AS order_id, 'web' AS channel, 'Ann' AS customer, 2.0 AS amount");

    await openSource(connection(), orders('ignore'), file);

    expect(await columnsOf(connection(), 'source_rows')).toEqual(['_row BIGINT', 'order_id VARCHAR', 'customer VARCHAR', 'amount DECIMAL(2,1)']);
  });

  it('opens a file with no rows as an empty relation', async () => {
    const file = await writeParquet('no-rows.parquet', `${THREE_ORDERS} LIMIT 0`);

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([]);
  });
});

describe('openSource on bad Parquet input', () => {
  async function failureFor(file: string, unknownColumns: 'fail' | 'ignore' = 'fail') {
    const result = await openSource(connection(), orders(unknownColumns), file);
    if (result.ok) throw new Error(`expected ${file} to fail`);
    return result.failure;
  }

  it('an empty file', async () => {
    expect(await failureFor(writeData(folder(), 'empty.parquet', ''))).toEqual({ kind: 'readable', message: 'file is empty' });
  });

  it('a truncated file', async () => {
    const whole = readFileSync(await writeParquet('whole.parquet', THREE_ORDERS));

    expect(await failureFor(writeData(folder(), 'truncated.parquet', whole.subarray(0, whole.length - 10)))).toEqual({
      kind: 'readable',
      message: "Parquet file is truncated: it does not end with the magic bytes 'PAR1'",
    });
  });

  it('CSV bytes named .parquet', async () => {
    expect(await failureFor(writeData(folder(), 'renamed.parquet', 'order_id,customer,amount\nA1,Ann,1\n'))).toEqual({
      kind: 'readable',
      message: "file is not Parquet: it does not start with the magic bytes 'PAR1'",
    });
  });

  it('a corrupt footer between intact magic bytes', async () => {
    const whole = readFileSync(await writeParquet('to-corrupt.parquet', THREE_ORDERS));
    const corrupt = Buffer.concat([whole.subarray(0, 4), Buffer.alloc(whole.length - 8, 0x41), whole.subarray(whole.length - 4)]);

    const failure = await failureFor(writeData(folder(), 'corrupt.parquet', corrupt));

    expect(failure.kind).toBe('readable');
    expect(failure.message).not.toMatch(/Error:|Stack Trace/);
    expect(failure.message.length).toBeGreaterThan(0);
  });

  it('a missing column', async () => {
    expect(await failureFor(await writeParquet('missing.parquet', "SELECT 'A1' AS order_id, 1.0 AS amount"))).toEqual({
      kind: 'schema',
      message: "missing column 'customer'",
    });
  });

  it('a misspelled column, even under unknownColumns: ignore', async () => {
    const file = await writeParquet('misspelled.parquet', "SELECT 'A1' AS order_id, 'Ann' AS Customer, 1.0 AS amount");

    expect(await failureFor(file, 'ignore')).toEqual({
      kind: 'schema',
      message: "column 'Customer' is not in the contract (did you mean 'customer'?)",
    });
  });

  it('an unexpected extra column under unknownColumns: fail', async () => {
    const file = await writeParquet('extra.parquet', "SELECT 'A1' AS order_id, 'Ann' AS customer, 1.0 AS amount, 'web' AS channel");

    expect(await failureFor(file)).toEqual({ kind: 'schema', message: "column 'channel' is not in the contract" });
  });

  it('a Parquet contract given a CSV file', async () => {
    expect(await failureFor(writeData(folder(), 'orders.csv', 'order_id,customer,amount\n'))).toEqual({
      kind: 'readable',
      message: "file format 'csv' (from the extension) is not what the contract declares ('parquet')",
    });
  });
});
