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

describe('LocalLake.write', () => {
  it('appends by adding a file and keeping the files already there', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);

    const first = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new'], [2, 'new']]));
    const second = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[3, 'paid']]));

    expect(first.summary).toEqual({ addedFiles: 1, removedFiles: 0, addedRows: 2, totalRows: 2 });
    expect(second).toMatchObject({
      operation: 'append',
      sequence: 3,
      parentSnapshotId: first.snapshotId,
      summary: { addedFiles: 1, removedFiles: 0, addedRows: 1, totalRows: 3 },
    });
    expect(second.files).toHaveLength(2);
    expect(second.files[0]).toBe(first.files[0]);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'new'],
      [2, 'new'],
      [3, 'paid'],
    ]);
  });

  it('lets an append read the table as of its parent, to add only rows not loaded yet', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));

    const onlyNew =
      `INSERT INTO {{target}} SELECT * FROM (VALUES (1, 'new'), (2, 'new')) AS s(id, status) ` +
      `WHERE s.id NOT IN (SELECT id FROM ${ORDERS_VIEW})`;
    const appended = await lake.write(connection, DATABASE, 'orders', 'append', onlyNew);

    expect(appended.summary.addedRows).toBe(1);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'new'],
      [2, 'new'],
    ]);
  });

  it('commits an append of no rows without adding a file', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const empty = await lake.write(connection, DATABASE, 'orders', 'append', 'INSERT INTO {{target}} SELECT 1, NULL WHERE false');
    expect(empty.summary).toEqual({ addedFiles: 0, removedFiles: 0, addedRows: 0, totalRows: 0 });
    expect(empty.files).toEqual([]);
  });

  it('merges on the key, and re-running the same merge leaves the same rows', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new'], [2, 'new']]));
    const source: [number, string][] = [
      [2, 'paid'],
      [3, 'new'],
    ];

    const merged = await lake.write(connection, DATABASE, 'orders', 'merge', mergeStatuses(source));
    const afterFirst = await orderRows(connection, ORDERS_VIEW);
    const again = await lake.write(connection, DATABASE, 'orders', 'merge', mergeStatuses(source));

    expect(afterFirst).toEqual([
      [1, 'new'],
      [2, 'paid'],
      [3, 'new'],
    ]);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual(afterFirst);
    expect(merged).toMatchObject({ operation: 'merge', summary: { addedFiles: 1, removedFiles: 1, totalRows: 3 } });
    expect(merged.summary.addedRows).toBeUndefined();
    expect(again.sequence).toBe(merged.sequence + 1);
    expect(again.summary.totalRows).toBe(3);
  });

  it('deletes rows by rewriting the table, and deleting every row leaves no file', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new'], [2, 'void']]));
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[3, 'void']]));

    const deleted = await lake.write(connection, DATABASE, 'orders', 'delete', "DELETE FROM {{target}} WHERE status = 'void'");
    expect(deleted.summary).toEqual({ addedFiles: 1, removedFiles: 2, totalRows: 1 });
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([[1, 'new']]);

    const emptied = await lake.write(connection, DATABASE, 'orders', 'delete', 'DELETE FROM {{target}}');
    expect(emptied.files).toEqual([]);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([]);
  });

  it('runs several statements as one change, as a keyless load replaces the rows of one file', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'first'], [2, 'first']]));

    const replaced = await lake.write(connection, DATABASE, 'orders', 'overwrite', [
      'DELETE FROM {{target}} WHERE id = 2',
      insertOrders([[2, 'second']]),
    ]);

    expect(lake.snapshots(DATABASE, 'orders').map((snapshot) => snapshot.operation)).toEqual(['create', 'append', 'overwrite']);
    expect(replaced.summary.totalRows).toBe(2);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
  });

  it('shows the new snapshot to another connection once it attaches the lake', async () => {
    const { lake, connection, otherConnection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));

    const reader = await otherConnection();
    await attachLake(reader, lake);
    expect(await orderRows(reader, ORDERS_VIEW)).toEqual([[1, 'new']]);
  });

  it('lists snapshots in a $snapshots view shaped like Iceberg', async () => {
    const { lake, connection } = fixture();
    const created = lake.createTable(DATABASE, 'orders', ORDERS);
    const appended = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));

    const rows = await query(
      connection,
      `SELECT snapshot_id, parent_id, operation, summary['total-records'] AS total, summary['added-records'] AS added, ` +
        `epoch_ms(committed_at) AS committed_ms, manifest_list FROM "${DATABASE}"."orders$snapshots" ORDER BY parent_id NULLS FIRST`,
    );
    expect(rows).toEqual([
      {
        snapshot_id: BigInt(created.snapshotId),
        parent_id: null,
        operation: 'create',
        total: '0',
        added: null,
        committed_ms: BigInt(Date.parse(created.committedAt)),
        manifest_list: `${lake.tableDirectory(DATABASE, 'orders')}/metadata/0000000001.json`,
      },
      {
        snapshot_id: BigInt(appended.snapshotId),
        parent_id: BigInt(created.snapshotId),
        operation: 'append',
        total: '1',
        added: '1',
        committed_ms: BigInt(Date.parse(appended.committedAt)),
        manifest_list: `${lake.tableDirectory(DATABASE, 'orders')}/metadata/0000000002.json`,
      },
    ]);
    expect(dataFiles(lake.tableDirectory(DATABASE, 'orders'))).toEqual(appended.files.map((file) => file.slice('data/'.length)));
  });
});
