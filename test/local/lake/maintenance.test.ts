import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachLake, timeTravelViewName } from '../../../lib/local/lake/attach-lake.ts';
import type { Snapshot } from '../../../lib/local/lake/snapshot.ts';
import { DATABASE, ORDERS, dataFiles, insertOrders, orderRows, useLake } from './helpers.ts';

/** One hour per commit, so retention cut-offs fall between known commits. */
let tick = 0;
const start = Date.parse('2026-03-01T00:00:00Z');
const hour = 3_600_000;
const fixture = useLake({ now: () => new Date(start + hour * tick++) });
const ORDERS_VIEW = `"${DATABASE}"."orders"`;

/** create (hour 0), three appends (hours 1-3): four snapshots, three files. */
async function threeAppends(): Promise<Snapshot[]> {
  const { lake, connection } = fixture();
  tick = 0;
  lake.createTable(DATABASE, 'orders', ORDERS);
  for (const id of [1, 2, 3]) await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[id, 'new']]));
  return lake.snapshots(DATABASE, 'orders');
}

const allRows = [
  [1, 'new'],
  [2, 'new'],
  [3, 'new'],
];

describe('LocalLake.compact', () => {
  it('rewrites the current files into one with the same rows, as a new snapshot', async () => {
    const { lake, otherConnection } = fixture();
    const before = (await threeAppends()).at(-1)!;

    const compacted = await lake.compact(DATABASE, 'orders');

    expect(compacted).toMatchObject({
      operation: 'compact',
      parentSnapshotId: before.snapshotId,
      summary: { addedFiles: 1, removedFiles: 3, totalRows: 3 },
    });
    expect(compacted.files).toHaveLength(1);
    expect(before.files).not.toContain(compacted.files[0]);
    const reader = await otherConnection();
    await attachLake(reader, lake);
    expect(await orderRows(reader, ORDERS_VIEW)).toEqual(allRows);
    expect(await orderRows(reader, `"${DATABASE}"."${timeTravelViewName('orders', before.snapshotId)}"`)).toEqual(allRows);
  });

  it('leaves a table of at most one file as it is', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const single = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    expect(await lake.compact(DATABASE, 'orders')).toEqual(single);
    expect(lake.snapshots(DATABASE, 'orders')).toHaveLength(2);
  });
});

describe('LocalLake.expireSnapshots', () => {
  it('deletes old manifests and the files only they referenced, keeping the current snapshot readable', async () => {
    const { lake, otherConnection } = fixture();
    await threeAppends();
    const compacted = await lake.compact(DATABASE, 'orders');
    const directory = lake.tableDirectory(DATABASE, 'orders');
    const expiredIds = lake.snapshots(DATABASE, 'orders').slice(0, -1).map((snapshot) => snapshot.snapshotId);

    const result = lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(start + 100 * hour) });

    expect(result.expiredSnapshotIds).toEqual(expiredIds);
    expect(result.deletedFiles).toHaveLength(3);
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([compacted]);
    expect(dataFiles(directory)).toEqual(compacted.files.map((file) => file.slice('data/'.length)));
    const reader = await otherConnection();
    await attachLake(reader, lake);
    expect(await orderRows(reader, ORDERS_VIEW)).toEqual(allRows);
    expect(() => lake.snapshot(DATABASE, 'orders', expiredIds[0]!)).toThrow(/expired or never existed/);
  });

  it('keeps files still referenced by a retained snapshot', async () => {
    const { lake } = fixture();
    const snapshots = await threeAppends();
    const directory = lake.tableDirectory(DATABASE, 'orders');

    const result = lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(start + 100 * hour), retainLast: 2 });

    expect(result.expiredSnapshotIds).toEqual(snapshots.slice(0, 2).map((snapshot) => snapshot.snapshotId));
    expect(result.deletedFiles).toEqual([]);
    for (const file of snapshots.at(-1)!.files) expect(existsSync(join(directory, file))).toBe(true);
    expect(lake.snapshots(DATABASE, 'orders')).toEqual(snapshots.slice(2));
  });

  it('keeps snapshots committed at or after olderThan', async () => {
    const { lake } = fixture();
    const snapshots = await threeAppends();

    const result = lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(start + 2 * hour) });

    expect(result.expiredSnapshotIds).toEqual(snapshots.slice(0, 2).map((snapshot) => snapshot.snapshotId));
    expect(lake.snapshots(DATABASE, 'orders')).toEqual(snapshots.slice(2));
    expect(lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(start) })).toEqual({
      expiredSnapshotIds: [],
      deletedFiles: [],
    });
  });

  it('never expires the current snapshot and refuses a retainLast below 1', async () => {
    const { lake } = fixture();
    const snapshots = await threeAppends();
    const olderThan = new Date(start + 100 * hour);

    expect(() => lake.expireSnapshots(DATABASE, 'orders', { olderThan, retainLast: 0 })).toThrow(
      /retainLast must be a whole number of at least 1/,
    );
    expect(() => lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date('not a date') })).toThrow(
      /olderThan is not a valid date/,
    );
    expect(lake.snapshots(DATABASE, 'orders')).toEqual(snapshots);
    lake.expireSnapshots(DATABASE, 'orders', { olderThan });
    lake.expireSnapshots(DATABASE, 'orders', { olderThan });
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([snapshots.at(-1)]);
  });

  it('lets writes continue after expiry', async () => {
    const { lake, connection } = fixture();
    await threeAppends();
    lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(start + 100 * hour) });

    const next = await lake.write(connection, DATABASE, 'orders', 'delete', 'DELETE FROM {{target}} WHERE id = 2');
    expect(next.sequence).toBe(5);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'new'],
      [3, 'new'],
    ]);
  });
});
