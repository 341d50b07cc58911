import { describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { DATABASE, ORDERS, dataFiles, insertOrders, orderRows, query, useLake } from './helpers.ts';

const fixture = useLake();
const ORDERS_VIEW = `"${DATABASE}"."orders"`;

function mergeStatuses(rows: readonly [number, string][]): string {
  const source = rows.map(([id, status]) => `(${id}, '${status}')`).join(', ');
  return (
    `MERGE INTO {{target}} AS t USING (VALUES ${source}) AS s(id, status) ON t.id = s.id ` +
    'WHEN MATCHED THEN UPDATE SET status = s.status WHEN NOT MATCHED THEN INSERT (id, status) VALUES (s.id, s.status)'
  );
}

/** The merge's scope: target rows whose key is among the source's keys, which its ON clause matches. */
function keysIn(rows: readonly [number, string][]): string {
  return `id IN (${rows.map(([id]) => id).join(', ')})`;
}

/** A table of three files, one per append: ids 1-2, 3-4, 5-6. */
async function threeFiles() {
  const { lake, connection } = fixture();
  lake.createTable(DATABASE, 'orders', ORDERS);
  await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new'], [2, 'new']]));
  await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[3, 'new'], [4, 'new']]));
  return lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[5, 'new'], [6, 'new']]));
}

describe('copy-on-write limited by a scope', () => {
  it('rewrites only the file holding a matched key and keeps the others by name', async () => {
    const { lake, connection } = fixture();
    const before = await threeFiles();
    const changes: [number, string][] = [[3, 'paid']];

    const merged = await lake.write(connection, DATABASE, 'orders', 'merge', mergeStatuses(changes), { scope: keysIn(changes) });

    expect(merged.files).toHaveLength(3);
    expect(merged.files).toContain(before.files[0]);
    expect(merged.files).toContain(before.files[2]);
    expect(merged.files).not.toContain(before.files[1]);
    expect(merged.summary).toEqual({ addedFiles: 1, removedFiles: 1, totalRows: 6 });
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'new'],
      [2, 'new'],
      [3, 'paid'],
      [4, 'new'],
      [5, 'new'],
      [6, 'new'],
    ]);
  });

  it('writes only the new rows when no key matches, keeping every file', async () => {
    const { lake, connection } = fixture();
    const before = await threeFiles();
    const changes: [number, string][] = [[7, 'new'], [8, 'new']];

    const merged = await lake.write(connection, DATABASE, 'orders', 'merge', mergeStatuses(changes), { scope: keysIn(changes) });

    expect(merged.files.slice(0, 3)).toEqual(before.files);
    expect(merged.summary).toEqual({ addedFiles: 1, removedFiles: 0, totalRows: 8 });
    const added = merged.files[3]!;
    expect(await query(connection, `SELECT count(*)::INTEGER AS n FROM read_parquet('${lake.tableDirectory(DATABASE, 'orders')}/${added}')`)).toEqual([
      { n: 2 },
    ]);
    expect(dataFiles(lake.tableDirectory(DATABASE, 'orders'))).toHaveLength(4);
  });

  it('drops a file whose every row a scoped delete removes, and keeps time travel to the parent right', async () => {
    const { lake, connection } = fixture();
    const before = await threeFiles();

    const deleted = await lake.write(connection, DATABASE, 'orders', 'delete', 'DELETE FROM {{target}} WHERE id >= 5', { scope: 'id >= 5' });

    expect(deleted.files).toEqual(before.files.slice(0, 2));
    expect(deleted.summary).toEqual({ addedFiles: 0, removedFiles: 1, totalRows: 4 });
    await attachLake(connection, lake);
    expect(await orderRows(connection, `"${DATABASE}"."orders@${before.snapshotId}"`)).toHaveLength(6);
    expect(await orderRows(connection, ORDERS_VIEW)).toHaveLength(4);
    const [current] = await query(
      connection,
      `SELECT summary['total-records'] AS total, summary['total-data-files'] AS files FROM "${DATABASE}"."orders$snapshots" WHERE snapshot_id = ${deleted.snapshotId}`,
    );
    expect(current).toEqual({ total: '4', files: '2' });
  });

  it('finds matched rows in files written before a column was added', async () => {
    const { lake, connection } = fixture();
    const before = await threeFiles();
    lake.addColumns(DATABASE, 'orders', [{ name: 'channel', type: 'VARCHAR' }]);

    const merged = await lake.write(
      connection,
      DATABASE,
      'orders',
      'merge',
      "MERGE INTO {{target}} AS t USING (VALUES (1, 'web')) AS s(id, channel) ON t.id = s.id WHEN MATCHED THEN UPDATE SET channel = s.channel",
      { scope: 'id = 1' },
    );

    expect(merged.files).toEqual([before.files[1], before.files[2], merged.files[2]]);
    expect(await query(connection, `SELECT id, channel FROM ${ORDERS_VIEW} WHERE channel IS NOT NULL`)).toEqual([{ id: 1, channel: 'web' }]);
  });

  it('refuses a scope on an operation that replaces the whole table', async () => {
    const { lake, connection } = fixture();
    await threeFiles();

    await expect(
      lake.write(connection, DATABASE, 'orders', 'overwrite', insertOrders([[1, 'new']]), { scope: 'id = 1' }),
    ).rejects.toThrow(/'overwrite' takes none/);
  });
});
