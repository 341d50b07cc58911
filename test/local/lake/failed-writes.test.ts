import { describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { LakeError } from '../../../lib/local/lake/lake-errors.ts';
import type { WriteOperation } from '../../../lib/pipeline/lake-write.ts';
import { DATABASE, ORDERS, dataFiles, insertOrders, orderRows, query, useLake } from './helpers.ts';

const fixture = useLake();
const ORDERS_VIEW = `"${DATABASE}"."orders"`;

async function loadedOrders() {
  const { lake, connection } = fixture();
  lake.createTable(DATABASE, 'orders', ORDERS);
  await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new'], [2, 'new']]));
  return { snapshots: lake.snapshots(DATABASE, 'orders'), files: dataFiles(lake.tableDirectory(DATABASE, 'orders')) };
}

/** The table exactly as before: same commits, same files, same rows, here and on a fresh reader. */
async function expectUnchanged(before: Awaited<ReturnType<typeof loadedOrders>>) {
  const { lake, connection, otherConnection } = fixture();
  expect(lake.snapshots(DATABASE, 'orders')).toEqual(before.snapshots);
  expect(dataFiles(lake.tableDirectory(DATABASE, 'orders'))).toEqual(before.files);
  expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
    [1, 'new'],
    [2, 'new'],
  ]);
  const reader = await otherConnection();
  await attachLake(reader, lake);
  expect(await orderRows(reader, ORDERS_VIEW)).toEqual([
    [1, 'new'],
    [2, 'new'],
  ]);
  expect(await query(connection, 'SELECT table_name FROM duckdb_tables() WHERE temporary')).toEqual([]);
}

describe('a failed write', () => {
  it.each<[WriteOperation, string[]]>([
    ['append', ["INSERT INTO {{target}} VALUES ('not a number', 'x')"]],
    ['merge', ["UPDATE {{target}} SET status = 'paid'", 'INSERT INTO {{target}} SELECT * FROM no_such_staging_table']],
    ['delete', ['DELETE FROM {{target}} WHERE no_such_column = 1']],
    ['overwrite', ['DELETE FROM {{target}}', insertOrders([[3, 'late']]), 'ALTER TABLE {{target}} DROP COLUMN status']],
  ])('%s that fails in DuckDB commits nothing and leaves the table readable and unchanged', async (operation, statements) => {
    const { lake, connection } = fixture();
    const before = await loadedOrders();

    const failure = await lake.write(connection, DATABASE, 'orders', operation, statements).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LakeError);
    expect((failure as Error).message).toMatch(new RegExp(`^${operation} on acme_dev_sales.orders failed and committed nothing: `));
    expect((failure as Error).cause).toBeInstanceOf(Error);
    await expectUnchanged(before);
  });

  it('is refused before running when no statement mentions {{target}}', async () => {
    const { lake, connection } = fixture();
    const before = await loadedOrders();
    await expect(
      lake.write(connection, DATABASE, 'orders', 'append', `INSERT INTO ${ORDERS_VIEW} VALUES (3, 'x')`),
    ).rejects.toThrow(/no statement of this append on acme_dev_sales.orders mentions \{\{target\}\}/);
    await expectUnchanged(before);
  });

  it('is refused for an operation that is not a write', async () => {
    const { lake, connection } = fixture();
    const before = await loadedOrders();
    await expect(
      lake.write(connection, DATABASE, 'orders', 'compact' as WriteOperation, insertOrders([[3, 'x']])),
    ).rejects.toThrow(/unknown write operation 'compact': use one of append, overwrite, merge, delete/);
    await expectUnchanged(before);
  });

  it('is refused on a table that does not exist', async () => {
    const { lake, connection } = fixture();
    await expect(lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'x']]))).rejects.toThrow(
      /table acme_dev_sales.orders does not exist/,
    );
    expect(lake.tables()).toEqual([]);
  });
});
