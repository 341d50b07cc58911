import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LakeError } from '../../../lib/local/lake/lake-errors.ts';
import { parseSnapshot } from '../../../lib/local/lake/manifest-file.ts';
import { DATABASE, ORDERS, insertOrders, useLake } from './helpers.ts';

const fixture = useLake();

function committedManifest() {
  const { lake } = fixture();
  const created = lake.createTable(DATABASE, 'orders', ORDERS);
  return { created, directory: lake.tableDirectory(DATABASE, 'orders') };
}

describe('manifests', () => {
  it('are written as metadata/<zero-padded sequence>.json holding exactly the snapshot', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const appended = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    const path = join(lake.tableDirectory(DATABASE, 'orders'), 'metadata', '0000000002.json');

    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(appended);
    expect(Object.keys(appended)).toEqual([
      'formatVersion',
      'snapshotId',
      'parentSnapshotId',
      'sequence',
      'committedAt',
      'operation',
      'summary',
      'schema',
      'files',
    ]);
    expect(appended.files[0]).toMatch(/^data\/[0-9a-f-]{36}\.parquet$/);
  });

  it('ignore files in metadata/ that are not manifests, such as an interrupted commit', () => {
    const { lake } = fixture();
    const { created, directory } = committedManifest();
    writeFileSync(join(directory, 'metadata', '.0f3c.json.tmp'), '{"formatVersion": 1');
    writeFileSync(join(directory, 'metadata', 'notes.txt'), 'hello');
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([created]);
  });

  it('that are corrupt fail reads with the manifest path and the broken field', () => {
    const { lake } = fixture();
    const { created, directory } = committedManifest();
    const path = join(directory, 'metadata', '0000000002.json');

    writeFileSync(path, JSON.stringify({ ...created, sequence: 2, snapshotId: -4 }));
    expect(() => lake.currentSnapshot(DATABASE, 'orders')).toThrow(`${path}: manifest field 'snapshotId' is missing or invalid`);

    writeFileSync(path, JSON.stringify({ ...created, sequence: 3 }));
    expect(() => lake.snapshots(DATABASE, 'orders')).toThrow(`${path}: manifest says sequence 3, its file name says 2`);

    writeFileSync(path, '{"formatVersion": 1');
    expect(() => lake.currentSnapshot(DATABASE, 'orders')).toThrow(new RegExp(`^${path}: manifest is not JSON`));
  });

  it.each([
    ['formatVersion', { formatVersion: 2 }],
    ['parentSnapshotId', { parentSnapshotId: '12' }],
    ['committedAt', { committedAt: 'yesterday' }],
    ['operation', { operation: 'expire' }],
    ['summary', { summary: { addedFiles: 0, removedFiles: 0 } }],
    ['summary', { summary: { addedFiles: 0, removedFiles: 0, totalRows: 0, addedRows: -1 } }],
    ['schema', { schema: [{ name: 'id' }] }],
    ['files', { files: [3] }],
  ])("parseSnapshot refuses a bad '%s'", (field, change) => {
    const { created } = committedManifest();
    expect(() => parseSnapshot(JSON.stringify({ ...created, ...change }), 'm.json')).toThrow(
      new LakeError(`m.json: manifest field '${field}' is missing or invalid`),
    );
    expect(() => parseSnapshot('[]', 'm.json')).toThrow('m.json: manifest is not a JSON object');
  });
});
