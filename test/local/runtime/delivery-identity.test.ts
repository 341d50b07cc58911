/**
 * Delivery identity and order (DESIGN.md), through the synthesized pipelines on the local runtime:
 * two files put under one name at once are two deliveries; a replay of an older delivery never
 * reverts newer data; a corrected re-delivery of a keyless dataset replaces the rows of the key's
 * earlier versions; an existing silver table gets the columns this needs.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGESTED_AT_COLUMN, silverTableName, SOURCE_ID_COLUMN } from '../../../lib/config/names.ts';
import { parseLandedFileEvent } from '../../../lib/ingest/landed-file-event.ts';
import type { LocalPipelineRuntime, PipelineRun } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { silverLakeColumns } from '../../../lib/pipeline/silver-table.ts';
import { type RuntimeFixture, sample, SAMPLE_INGEST_TIME, startRuntime, tableRows } from './helpers.ts';

let fixture: RuntimeFixture;
let files: string;

beforeAll(async () => {
  fixture = await startRuntime();
  files = join(fixture.workspace, 'deliveries');
});

afterAll(async () => {
  await fixture.close();
});

const HOUR = 3_600_000;

/** The sample's header and records. */
function csvSample(file: string): { header: string; records: string[] } {
  const [header, ...records] = readFileSync(sample('sales', file), 'utf8').trimEnd().split('\n');
  return { header: header!, records };
}

/** Writes `<name>` in its own folder, so two deliveries can share a file name. */
function deliveryFile(folder: string, name: string, text: string): string {
  const directory = join(files, folder);
  mkdirSync(directory, { recursive: true });
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

function replayOf(runtime: LocalPipelineRuntime, run: PipelineRun): Promise<PipelineRun> {
  return runtime.runPipeline(runtime.dataset(run.dataset), parseLandedFileEvent(runtime.executions.find(run.executionArn)!.input));
}

describe('two files with one name, run at the same moment', () => {
  it('are two deliveries, each loaded whole under its own file id', async () => {
    const { header, records } = csvSample('orders.csv');
    const half = records.length / 2;
    const first = deliveryFile('a', 'orders.csv', `${[header, ...records.slice(0, half)].join('\n')}\n`);
    const second = deliveryFile('b', 'orders.csv', `${[header, ...records.slice(half)].join('\n')}\n`);
    // Two runtimes on one workspace, as two processes are; the second waits for the first's lock.
    const [one, two] = await Promise.all([0, 1].map(() => startRuntime({ workspace: fixture.workspace, synthesized: fixture.runtime.environment, waitPauseMs: 200 })));
    let runs: PipelineRun[];
    try {
      runs = await Promise.all([
        one!.runtime.run('sales/orders', first, { ingestTime: SAMPLE_INGEST_TIME }),
        two!.runtime.run('sales/orders', second, { ingestTime: SAMPLE_INGEST_TIME }),
      ]);
    } finally {
      await Promise.all([one!.runtime.close(), two!.runtime.close()]);
    }
    expect(runs.map((run) => [run.status, run.rowsLoaded]), JSON.stringify(runs.map((run) => [run.error, run.cause]))).toEqual([
      ['SUCCEEDED', half],
      ['SUCCEEDED', half],
    ]);
    expect(runs[0]!.fileId).not.toBe(runs[1]!.fileId);
    const rows = await tableRows(fixture.runtime, fixture.runtime.dataset('sales/orders'), 'order_id');
    expect(rows.map((row) => row['order_id'])).toEqual(records.map((record) => record.split(',')[0]).sort());
    expect(new Set(rows.map((row) => row['file_id']))).toEqual(new Set(runs.map((run) => run.fileId)));
  });
});

describe('an older delivery loaded or replayed after a newer one', () => {
  it('keeps the newer values and fills only the keys the newer delivery lacks', async () => {
    const { runtime } = fixture;
    const { header, records } = csvSample('orders.csv');
    const status = header.split(',').indexOf('status');
    const cancelledHalf = records.slice(0, records.length / 2).map((record) => {
      const values = record.split(',');
      values[status] = 'cancelled';
      return values.join(',');
    });
    const orders = runtime.dataset('sales/orders');
    const newer = await runtime.run('sales/orders', deliveryFile('newer', 'orders-update.csv', `${[header, ...cancelledHalf].join('\n')}\n`), {
      ingestTime: new Date(SAMPLE_INGEST_TIME.getTime() + HOUR),
    });
    // Later than the deliveries of the test above, earlier than the newer one.
    const older = await runtime.run('sales/orders', deliveryFile('older', 'orders-full.csv', `${[header, ...records].join('\n')}\n`), {
      ingestTime: new Date(SAMPLE_INGEST_TIME.getTime() + HOUR / 2),
    });
    const replayed = await replayOf(runtime, older);
    expect([newer.status, older.status, replayed.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

    const rows = await tableRows(runtime, orders, 'order_id');
    const byId = new Map(rows.map((row) => [row['order_id'], row]));
    for (const record of records.slice(0, records.length / 2)) {
      expect(byId.get(record.split(',')[0])).toMatchObject({ status: 'cancelled', file_id: newer.fileId });
    }
    for (const record of records.slice(records.length / 2)) {
      expect(byId.get(record.split(',')[0])).toMatchObject({ status: record.split(',')[status], file_id: older.fileId });
    }
    expect(rows).toHaveLength(records.length);
  });
});

describe('a corrected re-delivery of a keyless dataset under the same name', () => {
  it('replaces the rows of the earlier version instead of adding to them, and a replay of the earlier one changes nothing', async () => {
    const { runtime } = fixture;
    const events = runtime.dataset('marketing/web_events');
    const lines = readFileSync(sample('marketing', 'web_events.jsonl'), 'utf8').trimEnd().split('\n');
    const original = deliveryFile('events-v1', 'web_events.jsonl', `${lines.join('\n')}\n`);
    const corrected = deliveryFile('events-v2', 'web_events.jsonl', `${lines.map((line) => line.replace('"duration_ms":164831', '"duration_ms":1648')).join('\n')}\n`);

    const first = await runtime.run('marketing/web_events', original, { ingestTime: SAMPLE_INGEST_TIME });
    const second = await runtime.run('marketing/web_events', corrected, { ingestTime: new Date(SAMPLE_INGEST_TIME.getTime() + HOUR) });
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(second.fileId).not.toBe(first.fileId);

    const expectCorrected = async (): Promise<void> => {
      const rows = await tableRows(runtime, events, 'event_id');
      expect(rows).toHaveLength(lines.length);
      expect(new Set(rows.map((row) => row['file_id']))).toEqual(new Set([second.fileId]));
      expect(rows.filter((row) => row['duration_ms'] === 1648)).toHaveLength(1);
      expect(new Set(rows.map((row) => row[SOURCE_ID_COLUMN])).size).toBe(1);
    };
    await expectCorrected();
    expect((await replayOf(runtime, first)).status).toBe('SUCCEEDED');
    await expectCorrected();
  });
});

describe('a silver table created before deliveries were ordered', () => {
  it('gets _ingested_at and _source_id added, keeps its rows, and loads', async () => {
    const isolated = await startRuntime();
    try {
      const { runtime } = isolated;
      const customers = runtime.dataset('sales/customers');
      const database = runtime.database(customers);
      const table = silverTableName(customers);
      const added = new Set([INGESTED_AT_COLUMN, SOURCE_ID_COLUMN]);
      runtime.lake.createTable(database, table, silverLakeColumns(customers).filter((column) => !added.has(column.name)));
      const run = await runtime.run('sales/customers', sample('sales', 'customers.csv'), { ingestTime: SAMPLE_INGEST_TIME });
      expect(run.status).toBe('SUCCEEDED');
      expect(runtime.lake.currentSnapshot(database, table).schema.map((column) => column.name).slice(-2)).toEqual([...added]);
      const rows = await tableRows(runtime, customers, 'customer_id');
      expect(rows.length).toBe(run.rowsLoaded);
      expect(rows.every((row) => row[INGESTED_AT_COLUMN] !== null && row[SOURCE_ID_COLUMN] !== null)).toBe(true);
    } finally {
      await isolated.close();
    }
  });
});

afterAll(() => rmSync(files, { recursive: true, force: true }));
