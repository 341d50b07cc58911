import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CommitConflictError, LakeError } from '../../../lib/local/lake/lake-errors.ts';
import { DATABASE, ORDERS, dataFiles, insertOrders, orderRows, useLake } from './helpers.ts';

const fixture = useLake();
const ORDERS_VIEW = `"${DATABASE}"."orders"`;
const tsxLoader = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const raceWriter = fileURLToPath(new URL('race-writer.ts', import.meta.url));

describe('optimistic commits', () => {
  it('lets exactly one of two writers built on the same parent commit, and the loser retries without loss', async () => {
    const { lake, connection, otherConnection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const directory = lake.tableDirectory(DATABASE, 'orders');
    const secondWriter = await otherConnection();

    const first = await lake.stageWrite(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'from-first']]));
    const second = await lake.stageWrite(secondWriter, DATABASE, 'orders', 'append', insertOrders([[2, 'from-second']]));
    expect(second.parent).toEqual(first.parent);
    expect(dataFiles(directory)).toHaveLength(2);

    const committed = await first.commit();
    const conflict = await second.commit().catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(CommitConflictError);
    expect(conflict).toMatchObject({ table: `${DATABASE}.orders`, sequence: 2 });
    expect(lake.currentSnapshot(DATABASE, 'orders')).toEqual(committed);
    expect(dataFiles(directory)).toEqual(committed.files.map((file) => file.slice('data/'.length)));
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([[1, 'from-first']]);

    const retried = await lake.write(secondWriter, DATABASE, 'orders', 'append', insertOrders([[2, 'from-second']]));
    expect(retried.parentSnapshotId).toBe(committed.snapshotId);
    expect(await orderRows(secondWriter, ORDERS_VIEW)).toEqual([
      [1, 'from-first'],
      [2, 'from-second'],
    ]);
  });

  it('gives one winner among writer processes racing for the same sequence', async () => {
    const { lake } = fixture();
    const created = lake.createTable(DATABASE, 'orders', ORDERS);
    const directory = lake.tableDirectory(DATABASE, 'orders');
    const startAt = String(Date.now() + 1500);

    const outputs = await Promise.all(
      [1, 2, 3].map(() =>
        promisify(execFile)(process.execPath, ['--import', tsxLoader, raceWriter, directory, JSON.stringify(created), startAt]),
      ),
    );
    const results = outputs.map(({ stdout }) => JSON.parse(stdout) as { won?: number; conflict?: string });

    const winners = results.filter((result) => result.won !== undefined);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.conflict?.includes('another writer committed sequence 2 first'))).toHaveLength(2);
    expect(lake.snapshots(DATABASE, 'orders').map((snapshot) => snapshot.snapshotId)).toEqual([
      created.snapshotId,
      winners[0]!.won,
    ]);
    expect(readdirSync(join(directory, 'metadata')).sort()).toEqual(['0000000001.json', '0000000002.json']);
  });

  it('withdraws a commit that lands in a slot expiry emptied below newer commits', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const stale = await lake.stageWrite(connection, DATABASE, 'orders', 'append', insertOrders([[9, 'stale']]));
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    const current = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[2, 'new']]));
    lake.expireSnapshots(DATABASE, 'orders', { olderThan: new Date(Date.now() + 60_000) });
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([current]);

    await expect(stale.commit()).rejects.toThrow(/commits newer than sequence 1, which this change was built on/);
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([current]);
    expect(await orderRows(connection, ORDERS_VIEW)).toEqual([
      [1, 'new'],
      [2, 'new'],
    ]);
  });

  it('publishes or discards a staged write once only', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const directory = lake.tableDirectory(DATABASE, 'orders');

    const aborted = await lake.stageWrite(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    const [stagedFile] = aborted.draft.files;
    expect(existsSync(join(directory, stagedFile!))).toBe(true);
    aborted.abort();
    expect(existsSync(join(directory, stagedFile!))).toBe(false);
    await expect(aborted.commit()).rejects.toThrow(LakeError);

    const committed = await lake.stageWrite(connection, DATABASE, 'orders', 'append', insertOrders([[2, 'new']]));
    const snapshot = await committed.commit();
    expect(() => committed.abort()).toThrow(/already committed or aborted/);
    expect(existsSync(join(directory, snapshot.files[0]!))).toBe(true);
    expect(lake.snapshots(DATABASE, 'orders')).toHaveLength(2);
  });
});
