import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silverTableName } from '../../../lib/config/names.ts';
import { SAMPLE_INGEST_TIME, sample, startRuntime, tableRows, type RuntimeFixture } from './helpers.ts';

/**
 * Loads write in proportion to the change (issue 8, item 10): a delivery rewrites only the data
 * files holding rows its MERGE matches, and every other file of the table stays, by name.
 */
let fixture: RuntimeFixture;
const files = mkdtempSync(join(tmpdir(), 'load-rewrites-'));
const [header, ...rows] = readFileSync(sample('sales', 'orders.csv'), 'utf8').trimEnd().split('\n');

/** A delivery of some of the sample's orders, under its own file name, with a status changed where asked. */
function delivery(name: string, lines: readonly string[]): string {
  const file = join(files, name);
  writeFileSync(file, `${[header, ...lines].join('\n')}\n`);
  return file;
}

function withStatus(line: string, status: string): string {
  const fields = line.split(',');
  fields[5] = status;
  return fields.join(',');
}

beforeAll(async () => {
  fixture = await startRuntime();
});

afterAll(async () => {
  await fixture.close();
  rmSync(files, { recursive: true, force: true });
});

describe('a load into a table of several files', () => {
  const snapshot = () => {
    const { runtime } = fixture;
    const dataset = runtime.dataset('sales/orders');
    return runtime.lake.currentSnapshot(runtime.database(dataset), silverTableName(dataset));
  };
  const load = async (file: string, minutes: number) => {
    const run = await fixture.runtime.run('sales/orders', file, { ingestTime: new Date(SAMPLE_INGEST_TIME.getTime() + minutes * 60_000) });
    expect(run.status).toBe('SUCCEEDED');
    return run;
  };

  it('keeps the files of other keys by name and adds one file of the new rows', async () => {
    await load(delivery('first.csv', rows.slice(0, 10)), 0);
    const first = snapshot();
    await load(delivery('second.csv', rows.slice(10, 20)), 1);
    const second = snapshot();

    expect(second.files).toHaveLength(2);
    expect(second.files[0]).toBe(first.files[0]);
    expect(second.summary).toEqual({ addedFiles: 1, removedFiles: 0, totalRows: 20 });
  });

  it('rewrites only the file holding an updated key, keeping the other file and every row', async () => {
    const before = snapshot();
    const updated = rows[12]!.split(',')[0]!;
    await load(delivery('update.csv', [withStatus(rows[12]!, 'cancelled')]), 2);
    const after = snapshot();

    expect(after.files).toContain(before.files[0]);
    expect(after.files).not.toContain(before.files[1]);
    expect(after.files).toHaveLength(2);
    expect(after.summary).toEqual({ addedFiles: 1, removedFiles: 1, totalRows: 20 });
    const table = await tableRows(fixture.runtime, fixture.runtime.dataset('sales/orders'), 'order_id');
    expect(table).toHaveLength(20);
    expect(table.filter((row) => row['status'] === 'cancelled').map((row) => row['order_id'])).toContain(updated);
    expect(new Set(table.map((row) => row['order_id'])).size).toBe(20);
  });
});
