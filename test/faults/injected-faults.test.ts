/**
 * Faults injected into real offline runs (the synthesized pipeline on the local S3 server and the
 * local lake): Athena throttling and failing, the validator crashing half-way, S3 failing under
 * the quarantine, an event delivered twice, deliveries of the same keys out of order. Each scenario
 * ends with every row counted (rows in = loaded + quarantined), the landed original untouched,
 * the alert the platform promises, and a replay that loads exactly once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maintenanceStateMachineName, pipelineStateMachineName, silverTableName } from '../../lib/config/names.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { parseLandedFileEvent, type LandedFileEvent } from '../../lib/ingest/landed-file-event.ts';
import { reportPrefix } from '../../lib/ingest/layout.ts';
import type { LocalPipelineRuntime, PipelineRun } from '../../lib/local/runtime/pipeline-runtime.ts';
import { stateMachineNamed } from '../../lib/local/runtime/synthesized-environment.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { heldLocks, type RuntimeFixture, SAMPLE_INGEST_TIME, sample, startRuntime } from '../local/runtime/helpers.ts';
import { accountFor, alerts, type Delivery, expectCountedOnce, lakeRows, silverCounts } from './delivery-account.ts';
import { athenaThrottle, failFirstAttempts, failS3Calls, slowDown, tasksCalling } from './fault-injection.ts';

const files = mkdtempSync(join(tmpdir(), 'injected-faults-'));
let fixture: RuntimeFixture;
let runtime: LocalPipelineRuntime;
let orders: Dataset;

beforeEach(async () => {
  fixture = await startRuntime();
  runtime = fixture.runtime;
  orders = runtime.dataset('sales/orders');
});

afterEach(async () => {
  await fixture.close();
});

afterAll(() => rmSync(files, { recursive: true, force: true }));

/** The sample with bad rows: `orders` quarantines them and loads the rest. */
const partlyBad = sample('sales', 'orders.broken.csv');

function pipelineOf(dataset: Dataset) {
  return stateMachineNamed(runtime.environment, pipelineStateMachineName(runtime.environment.identity, dataset));
}

/** The landing event an execution was started with, as the router would send it again. */
function landingEventOf(run: PipelineRun): LandedFileEvent {
  return parseLandedFileEvent(runtime.executions.find(run.executionArn)!.input);
}

function deliveryOf(dataset: Dataset, file: string, run: PipelineRun, fileId = run.fileId): Delivery {
  return { dataset, file, key: landingEventOf(run).key, fileId: fileId! };
}

const subjects = () => alerts(runtime).map((alert) => alert.subject);

describe('Athena throttling on every first attempt', () => {
  it("is absorbed by the definitions' retries: the load and the maintenance succeed, each row once", async () => {
    const load = failFirstAttempts(tasksCalling(await pipelineOf(orders), 'athena:startQueryExecution.sync'), athenaThrottle);
    const run = await runtime.run(orders.names.ref, partlyBad, { ingestTime: SAMPLE_INGEST_TIME, wrapTask: load });
    expect([run.status, run.error]).toEqual(['SUCCEEDED', undefined]);
    expect(run.states.find((visit) => visit.state === S.load)).toMatchObject({ outcome: 'succeeded', retries: 1 });
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, run));
    expect(subjects()).toEqual([expect.stringContaining('quarantined')]);

    const before = await silverCounts(runtime, orders);
    const maintenance = await stateMachineNamed(runtime.environment, maintenanceStateMachineName(runtime.environment.identity, 'sales'));
    const athenaStates = tasksCalling(maintenance, 'athena:startQueryExecution.sync');
    const maintained = await runtime.maintain('sales', { wrapTask: failFirstAttempts(athenaStates, athenaThrottle) });
    expect([maintained.status, maintained.error]).toEqual(['SUCCEEDED', undefined]);
    const athenaVisits = maintained.states.filter((visit) => athenaStates.has(visit.state));
    expect(athenaVisits.length).toBeGreaterThan(0);
    for (const visit of athenaVisits) expect(visit, visit.state).toMatchObject({ outcome: 'succeeded', retries: 1 });
    expect(await silverCounts(runtime, orders)).toEqual(before);
  });
});

describe('an Athena load query failing for good', () => {
  it('fails the pipeline with an alert, loads nothing, releases the lock; a re-run loads exactly once', async () => {
    const lake = runtime.lake;
    const write = lake.write.bind(lake);
    // The query runs its real statements, then fails before the commit, as a query dying mid-way does.
    lake.write = (connection, database, table, operation, sql) =>
      write(connection, database, table, operation, [...(typeof sql === 'string' ? [sql] : sql), "SELECT error('HIVE_BAD_DATA: injected')"]);
    const failed = await runtime.run(orders.names.ref, partlyBad, { ingestTime: SAMPLE_INGEST_TIME });
    expect([failed.status, failed.error]).toEqual(['FAILED', 'Pipeline.Failed']);
    expect(failed.visitedStates).toEqual(expect.arrayContaining([S.load, S.releaseLockAfterFailure, S.alertFailed]));
    expect(subjects()).toEqual([`Pipeline failed: ${orders.names.ref}`]);
    expect(await silverCounts(runtime, orders)).toEqual({ rows: 0, keys: 0 });
    expect(heldLocks(runtime)).toEqual([]);
    const kept = await accountFor(runtime, deliveryOf(orders, partlyBad, failed));
    expect(kept.landedIntact).toBe(true);
    expect(kept.reports.map((report) => report.rowsPassed + report.rowsQuarantined)).toEqual([kept.recordsInFile]);

    lake.write = write;
    const replay = await runtime.runPipeline(orders, landingEventOf(failed));
    expect([replay.status, replay.error]).toEqual(['SUCCEEDED', undefined]);
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, replay));
  });
});

describe('the validator crashing after the quarantine copy, before the report', () => {
  /** Runs the broken sample with the validator crashing at its first audit write, the report. */
  async function crashedRun(): Promise<PipelineRun> {
    const crash = Object.assign(new Error('RequestId: 1 Error: Runtime exited with error: signal: killed'), { name: 'Runtime.ExitError' });
    let crashed = 0;
    const heal = failS3Calls(runtime, ({ command, bucket, key }) => {
      // The report, not the pipeline's own lineage events in the same zone.
      if (command !== 'PutObjectCommand' || bucket !== runtime.buckets.audit || !key.startsWith(reportPrefix(orders)) || crashed > 0) return undefined;
      crashed += 1;
      return crash;
    });
    const failed = await runtime.run(orders.names.ref, partlyBad, { ingestTime: SAMPLE_INGEST_TIME });
    heal();
    expect([failed.status, failed.error, crashed]).toEqual(['FAILED', 'Pipeline.Failed', 1]);
    return failed;
  }

  it('fails with an alert; the replay writes one report and one quarantine entry, each row once', async () => {
    const failed = await crashedRun();
    expect(failed.visitedStates).toEqual([S.startLineageRun, S.writeLineageStart, S.validate, S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    expect(subjects()).toEqual([`Pipeline failed: ${orders.names.ref}`]);
    const [left] = await runtime.quarantined(orders.names.ref);
    expect(left).toBeDefined();
    const kept = await accountFor(runtime, deliveryOf(orders, partlyBad, failed, left!.fileId));
    expect([kept.landedIntact, kept.reports.length, kept.loaded, kept.quarantineEntries]).toEqual([true, 0, 0, 1]);
    expect(kept.quarantined).toBeGreaterThan(0);

    const replay = await runtime.runPipeline(orders, landingEventOf(failed));
    expect([replay.status, replay.fileId]).toEqual(['SUCCEEDED', left!.fileId]);
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, replay));
  });

  it('leaves a delivery `quarantine release` finds by its landing event, loads once and records', async () => {
    const failed = await crashedRun();
    // The crash came before the validator returned its file id, so no execution recorded one.
    expect(runtime.executions.find(failed.executionArn)!.fileId).toBeUndefined();
    const [left] = await runtime.quarantined(orders.names.ref);
    const released = await runtime.release(left!.fileId, 'alice');
    expect([released.run.status, released.run.fileId]).toEqual(['SUCCEEDED', left!.fileId]);
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, released.run));
    expect(released.record).toMatchObject({ fileId: left!.fileId, releasedBy: 'alice', outcome: { status: 'SUCCEEDED' } });
    expect(await runtime.quarantined(orders.names.ref)).toEqual([expect.objectContaining({ fileId: left!.fileId, released: 'SUCCEEDED' })]);
  });
});

describe('S3 failing while the validator writes to the quarantine', () => {
  const quarantineWrite = (bucket: string) => bucket === runtime.buckets.quarantine;

  it('fails with an alert when S3 stays down, loads nothing, and the replay counts every row once', async () => {
    const heal = failS3Calls(runtime, ({ bucket }) =>
      quarantineWrite(bucket) ? Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError' }) : undefined,
    );
    const failed = await runtime.run(orders.names.ref, partlyBad, { ingestTime: SAMPLE_INGEST_TIME });
    heal();
    expect([failed.status, failed.error]).toEqual(['FAILED', 'Pipeline.Failed']);
    expect(subjects()).toEqual([`Pipeline failed: ${orders.names.ref}`]);
    expect(await silverCounts(runtime, orders)).toEqual({ rows: 0, keys: 0 });
    expect(await runtime.quarantined(orders.names.ref)).toEqual([]);

    const replay = await runtime.runPipeline(orders, landingEventOf(failed));
    expect(replay.status).toBe('SUCCEEDED');
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, replay));
  });

  it('is absorbed by retries when S3 slows down once per write, streamed uploads included', async () => {
    const slowed = new Set<string>();
    failS3Calls(
      runtime,
      ({ bucket, key }) => {
        if (!quarantineWrite(bucket) || slowed.has(key)) return undefined;
        slowed.add(key);
        return slowDown();
      },
      true,
    );
    const run = await runtime.run(orders.names.ref, partlyBad, { ingestTime: SAMPLE_INGEST_TIME });
    expect([run.status, run.error]).toEqual(['SUCCEEDED', undefined]);
    expect(slowed.size).toBeGreaterThanOrEqual(2);
    await expectCountedOnce(runtime, deliveryOf(orders, partlyBad, run));
  });
});

describe('the same landing event delivered twice', () => {
  it.each([
    ['sales/orders', 'orders.broken.csv', 'merges on its key'],
    ['marketing/web_events', 'web_events.jsonl', 'appends'],
  ])('loads %s (which %s) once', async (ref, name) => {
    const dataset = runtime.dataset(ref);
    const file = sample(dataset.domain, name);
    const first = await runtime.run(ref, file, { ingestTime: SAMPLE_INGEST_TIME });
    const again = await runtime.runPipeline(dataset, landingEventOf(first));
    expect([first.status, again.status, again.fileId]).toEqual(['SUCCEEDED', 'SUCCEEDED', first.fileId]);
    await expectCountedOnce(runtime, deliveryOf(dataset, file, again));
    expect((await silverCounts(runtime, dataset)).rows).toBe(first.rowsLoaded);
  });
});

describe('two deliveries of the same keys, the newer processed first', () => {
  it('keeps the newer values when the older one is loaded or replayed afterwards (DESIGN.md "Delivery identity and order")', async () => {
    const original = readFileSync(sample('sales', 'orders.csv'), 'utf8');
    const header = original.split('\n')[0]!.split(',');
    const status = header.indexOf('status');
    const cancelled = original
      .trimEnd()
      .split('\n')
      .map((line, index) => (index === 0 ? line : line.split(',').map((value, column) => (column === status ? 'cancelled' : value)).join(',')))
      .join('\n');
    const older = join(files, 'orders-older.csv');
    const newer = join(files, 'orders-newer.csv');
    writeFileSync(older, original);
    writeFileSync(newer, `${cancelled}\n`);
    const later = new Date(SAMPLE_INGEST_TIME.getTime() + 3_600_000);

    expect((await runtime.run(orders.names.ref, newer, { ingestTime: later })).status).toBe('SUCCEEDED');
    const late = await runtime.run(orders.names.ref, older, { ingestTime: SAMPLE_INGEST_TIME });
    expect(late.status).toBe('SUCCEEDED');
    const replay = await runtime.runPipeline(orders, landingEventOf(late));
    expect(replay.status).toBe('SUCCEEDED');

    const statuses = await statusCounts(orders);
    const records = original.trimEnd().split('\n').length - 1;
    expect(statuses).toEqual([['cancelled', records]]);
    expect(await silverCounts(runtime, orders)).toEqual({ rows: records, keys: records });
  });
});

async function statusCounts(dataset: Dataset): Promise<[string, number][]> {
  const rows = await lakeRows(runtime, `SELECT status, count(*) FROM "${runtime.database(dataset)}"."${silverTableName(dataset)}" GROUP BY status ORDER BY status`);
  return rows.map(([value, count]) => [String(value), Number(count)]);
}
