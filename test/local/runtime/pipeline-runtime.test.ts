/**
 * The synthesized pipelines of the repository's app, executed offline by the runtime against a
 * real local S3 server and the local lake: what each kind of delivery leaves behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DeleteObjectCommand, GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineStateMachineName, silverTableName } from '../../../lib/config/names.ts';
import type { Dataset } from '../../../lib/contracts/model.ts';
import { parseLandedFileEvent } from '../../../lib/ingest/landed-file-event.ts';
import { quarantinedFileKey, quarantinedRowsKey } from '../../../lib/ingest/layout.ts';
import { currentProcess } from '../../../lib/local/process-identity.ts';
import { ExecutionRegistry } from '../../../lib/local/runtime/execution-registry.ts';
import { unlockDataset } from '../../../lib/local/runtime/manual-unlock.ts';
import type { PipelineRun } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { stateMachineNamed } from '../../../lib/local/runtime/synthesized-environment.ts';
import type { SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import type { ExecutionResult } from '../../../lib/local/stepfunctions/run.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import { tableLockKey } from '../../../lib/pipeline/lock-item.ts';
import { PIPELINE_STATES as S } from '../../../lib/pipeline/state-names.ts';
import { atVersion } from '../../pipeline/contract-version.ts';
import { heldLocks, logLines, type RuntimeFixture, sample, SAMPLE_INGEST_TIME, startRuntime, tableRows } from './helpers.ts';

let fixture: RuntimeFixture;
/** What the runtime's `onExecution` observer was told, in order. */
const observed: { machine: SynthesizedStateMachine; result: ExecutionResult }[] = [];

beforeAll(async () => {
  fixture = await startRuntime({ onExecution: (machine, result) => observed.push({ machine, result }) });
});

afterAll(async () => {
  await fixture.close();
});

const at = { ingestTime: SAMPLE_INGEST_TIME };

function snapshotsOf(ref: string) {
  const { runtime } = fixture;
  const dataset = runtime.dataset(ref);
  return runtime.lake.snapshots(runtime.database(dataset), silverTableName(dataset));
}

describe('a clean file', () => {
  let run: PipelineRun;

  beforeAll(async () => {
    run = await fixture.runtime.run('sales/orders', sample('sales', 'orders.csv'), at);
  });

  it('goes through every state of the happy path and succeeds', () => {
    expect(run).toMatchObject({ status: 'SUCCEEDED', rejected: false, dataset: 'sales/orders', rowsLoaded: 36, rowsQuarantined: 0 });
    expect(run.visitedStates).toEqual([
      S.startLineageRun,
      S.writeLineageStart,
      S.validate,
      S.checkValidation,
      S.prepareLoad,
      S.acquireLock,
      S.load,
      S.releaseLock,
      S.publishMetrics,
      S.announceLoaded,
      S.checkQuarantinedRows,
      S.writeLineageLoaded,
      S.loaded,
    ]);
    expect(run.states.every((visit) => visit.outcome === 'succeeded')).toBe(true);
  });

  it('commits the rows to the silver table as one merge snapshot, each row carrying its file id', async () => {
    const { runtime } = fixture;
    const snapshots = snapshotsOf('sales/orders');
    expect(snapshots.map((snapshot) => snapshot.operation)).toEqual(['create', 'merge']);
    expect(snapshots.at(-1)!.summary.totalRows).toBe(36);
    const rows = await tableRows(runtime, runtime.dataset('sales/orders'), 'order_id');
    expect(rows).toHaveLength(36);
    expect(new Set(rows.map((row) => row['file_id']))).toEqual(new Set([run.fileId]));
    expect(rows[0]).toMatchObject({ order_id: 'ORD-10000001', status: 'shipped', amount: 19, ingest_date: '2026-11-21', _row: 1 });
    expect(run.table).toBe('"acme_dev_sales"."orders"');
  });

  it('leaves the report in the audit zone, readable under .lake/s3, and releases the lock', () => {
    expect(run.reportKey).toBe(`reports/sales/orders/2026/11/21/orders.csv-${run.fileId}.json`);
    expect(JSON.parse(readFileSync(run.reportPath!, 'utf8'))).toMatchObject({ dataset: 'sales/orders', passed: true, rowCount: 36 });
    expect(heldLocks(fixture.runtime)).toEqual([]);
  });

  it('announces DatasetLoaded in events.log and logs RowsLoaded, without any alert', () => {
    const { paths } = fixture.runtime;
    expect(logLines(paths.eventsLog).at(-1)).toMatchObject({
      source: 'contract-lakehouse',
      detailType: 'DatasetLoaded',
      detail: { dataset: 'sales/orders', fileId: run.fileId, ingestDate: '2026-11-21', rowsLoaded: 36 },
    });
    expect(logLines(paths.metricsLog).at(-1)).toMatchObject({ namespace: 'ContractLakehouse', metric: { MetricName: 'RowsLoaded', Value: 36 } });
    expect(logLines(paths.alertsLog)).toEqual([]);
  });

  it("tags the landed version it validated with its contract's retention class", async () => {
    const { runtime } = fixture;
    const input = parseLandedFileEvent(runtime.executions.find(run.executionArn)!.input);
    expect(input.versionId).toBeDefined();
    const { TagSet } = await runtime.s3.client.send(new GetObjectTaggingCommand({ Bucket: input.bucket, Key: input.key, VersionId: input.versionId }));
    expect(TagSet).toEqual([{ Key: 'lakehouse:retention', Value: '7y' }]);
  });

  it('records the execution, and keeps the validator function output in its log file, not on stdout', () => {
    const { runtime } = fixture;
    expect(runtime.executions.find(run.executionArn)).toMatchObject({ status: 'SUCCEEDED', fileId: run.fileId, input: { eventTime: '2026-11-21T06:00:00.000Z' } });
    const log = readFileSync(`${runtime.paths.functionLogs}/acme-dev-sales-orders-validate.log`, 'utf8');
    expect(log).toMatch(/"FilesValidated":1/);
    expect(log).toMatch(/file passed its contract/);
  });

  it('changes no row when the same delivery is run again', async () => {
    const { runtime } = fixture;
    const orders = runtime.dataset('sales/orders');
    const before = await tableRows(runtime, orders, 'order_id');
    const replay = await runtime.runPipeline(orders, parseLandedFileEvent(runtime.executions.find(run.executionArn)!.input));
    expect(replay).toMatchObject({ status: 'SUCCEEDED', fileId: run.fileId, rowsLoaded: 36 });
    expect(await tableRows(runtime, runtime.dataset('sales/orders'), 'order_id')).toEqual(before);
    expect(snapshotsOf('sales/orders').at(-1)!.summary.totalRows).toBe(36);
  });
});

describe('a file with some rows breaking a quarantine-rows contract', () => {
  let run: PipelineRun;

  beforeAll(async () => {
    run = await fixture.runtime.run('sales/orders', sample('sales', 'orders.broken.csv'), at);
  });

  it('loads the good rows, quarantines the others and alerts about them', async () => {
    const { runtime } = fixture;
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsLoaded: 28, rowsQuarantined: 17 });
    expect(run.visitedStates.slice(-4)).toEqual([S.checkQuarantinedRows, S.alertQuarantined, S.writeLineageLoaded, S.loaded]);
    const rows = await tableRows(runtime, runtime.dataset('sales/orders'), 'order_id');
    expect(rows.filter((row) => row['file_id'] === run.fileId)).toHaveLength(28);
    expect(logLines(runtime.paths.alertsLog).at(-1)).toMatchObject({
      subject: 'Rows quarantined: sales/orders',
      message: { alert: 'RowsQuarantined', fileId: run.fileId, rowsLoaded: 28, rowsQuarantined: 17 },
    });
  });

  it('keeps the failing rows in the quarantine zone, where quarantine list finds them', async () => {
    const { runtime } = fixture;
    const dataset = runtime.dataset('sales/orders');
    const key = quarantinedRowsKey({ dataset, fileName: 'orders.broken.csv', fileId: run.fileId!, ingestDate: '2026-11-21' });
    expect(existsSync(runtime.s3.objectPath(runtime.buckets.quarantine, key))).toBe(true);
    expect(await runtime.quarantined('sales/orders')).toEqual([
      expect.objectContaining({ fileId: run.fileId, dataset: 'sales/orders', rowCount: 45, rowsQuarantined: 17, ingestDate: '2026-11-21' }),
    ]);
  });
});

describe('a file that breaks a quarantine-file contract', () => {
  let run: PipelineRun;

  beforeAll(async () => {
    run = await fixture.runtime.run('sales/customers', sample('sales', 'customers.broken.csv'), at);
  });

  it('fails as rejected after alerting, the whole file quarantined', () => {
    const { runtime } = fixture;
    expect(run).toMatchObject({ status: 'FAILED', error: 'Pipeline.FileRejected', rejected: true, rowsLoaded: 0, rowsQuarantined: 25 });
    expect(run.visitedStates).toEqual([
      S.startLineageRun,
      S.writeLineageStart,
      S.validate,
      S.checkValidation,
      S.writeLineageRejected,
      S.alertRejected,
      S.fileRejected,
    ]);
    const key = quarantinedFileKey({ dataset: runtime.dataset('sales/customers'), fileName: 'customers.broken.csv', fileId: run.fileId!, ingestDate: '2026-11-21' });
    expect(existsSync(runtime.s3.objectPath(runtime.buckets.quarantine, key))).toBe(true);
    expect(logLines(runtime.paths.alertsLog).at(-1)).toMatchObject({
      subject: 'File rejected: sales/customers',
      message: { alert: 'FileRejected', fileId: run.fileId, rowsQuarantined: 25, report: expect.stringContaining(run.reportKey!) },
    });
  });

  it('leaves the silver table as its owner created it, empty', () => {
    expect(snapshotsOf('sales/customers').map((snapshot) => snapshot.operation)).toEqual(['create']);
  });
});

describe('Athena trouble during the load', () => {
  it('retries a throttled query with the same request token and loads', async () => {
    const { runtime } = fixture;
    const tokens: unknown[] = [];
    const run = await runtime.run('sales/order_items', sample('sales', 'order_items.csv'), {
      ...at,
      wrapTask: (state, handler) =>
        state !== S.load
          ? handler
          : async (input) => {
              tokens.push((input as { ClientRequestToken: string }).ClientRequestToken);
              if (tokens.length === 1) throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
              return handler(input);
            },
    });
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsLoaded: 59 });
    expect(run.states.find((visit) => visit.state === S.load)).toMatchObject({ outcome: 'succeeded', retries: 1 });
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
    expect(await tableRows(runtime, runtime.dataset('sales/order_items'), 'order_id, line_no')).toHaveLength(59);
  });

  it('catches a failed query into the alert path, releasing the lock and loading nothing', async () => {
    const { runtime } = fixture;
    const run = await runtime.run('marketing/campaigns', sample('marketing', 'campaigns.csv'), {
      ...at,
      // The validated file disappears before the query reads it: the query fails as Athena's would.
      wrapTask: (state, handler) =>
        state !== S.load
          ? handler
          : async (input) => {
              const query = (input as { QueryString: string }).QueryString;
              const fileId = /file_id" = '([0-9a-f]+)'/.exec(query)![1]!;
              await runtime.s3.client.send(
                new DeleteObjectCommand({ Bucket: runtime.buckets.validated, Key: `marketing/campaigns/ingest_date=2026-11-21/${fileId}.parquet` }),
              );
              return handler(input);
            },
    });
    expect(run).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed', rejected: false, rowsLoaded: 0 });
    expect(run.visitedStates.slice(-6)).toEqual([S.load, S.checkLoadFailure, S.releaseLockAfterFailure, S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    const alert = logLines(runtime.paths.alertsLog).at(-1) as { subject: string; message: { failure: { Error: string; Cause: string } } };
    expect(alert.subject).toBe('Pipeline failed: marketing/campaigns');
    expect(alert.message.failure.Error).toBe('States.TaskFailed');
    expect(JSON.parse(alert.message.failure.Cause)).toMatchObject({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: expect.any(String) } } });
    expect(heldLocks(runtime)).toEqual([]);
    expect(snapshotsOf('marketing/campaigns').map((snapshot) => snapshot.operation)).toEqual(['create']);
  });
});

describe('a dataset that is not in the contracts', () => {
  it('is refused with a suggestion before anything runs', async () => {
    await expect(fixture.runtime.run('sales/order', sample('sales', 'orders.csv'), at)).rejects.toThrow(
      /no dataset 'sales\/order' in the contracts; did you mean 'sales\/orders'\?/,
    );
  });
});

/**
 * A run of a new major version locks the table it writes (issue 9 item 13): a lock of the table
 * the previous major wrote, even one whose holder still runs, neither holds it up nor is touched
 * by it, and `lakehouse unlock` finds the new lock by the dataset or by its table.
 */
describe('a lock held on the table of the previous major version', () => {
  let customers: Dataset;
  let customersV1: Dataset;
  let lockTable: string;

  beforeAll(async () => {
    const { runtime } = fixture;
    customers = runtime.dataset('sales/customers');
    customersV1 = atVersion(customers, '1.4.0');
    const machine = await stateMachineNamed(runtime.environment, pipelineStateMachineName(runtime.environment.identity, customers));
    lockTable = (machine.definition.States[S.acquireLock] as unknown as { Parameters: { TableName: string } }).Parameters.TableName;
  });

  afterAll(async () => {
    await fixture.runtime.locks.deleteItem({ TableName: lockTable, Key: { pk: { S: tableLockKey(customersV1) } } });
  });

  /** Puts the lock of `dataset`'s table in the lock table, held by `holder`. */
  async function holdLock(dataset: Dataset, holder: string): Promise<void> {
    await fixture.runtime.locks.putItem({ TableName: lockTable, Item: { pk: { S: tableLockKey(dataset) }, holder: { S: holder } } });
  }

  async function holderOf(dataset: Dataset): Promise<unknown> {
    const { Item } = await fixture.runtime.locks.getItem({ TableName: lockTable, Key: { pk: { S: tableLockKey(dataset) } } });
    return (Item as Record<string, unknown> | undefined)?.['holder'];
  }

  it('does not hold up a run of the new major, which takes and releases the lock of its own table', async () => {
    const { runtime } = fixture;
    const { identity } = runtime.environment;
    const v1Machine = `arn:aws:states:${identity.region}:${identity.account}:stateMachine:${pipelineStateMachineName(identity, customersV1)}`;
    const v1Execution = ExecutionRegistry.executionArn(v1Machine, 'still-loading');
    const { pid, start } = currentProcess();
    runtime.executions.record({
      executionArn: v1Execution,
      stateMachineArn: v1Machine,
      name: 'still-loading',
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      pid,
      processStart: start,
      input: {},
    });
    await holdLock(customersV1, v1Execution);

    const run = await runtime.run('sales/customers', sample('sales', 'customers.csv'), at);

    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsLoaded: 30 });
    expect(run.visitedStates).not.toContain(S.describeLockHolder);
    expect(await holderOf(customersV1)).toEqual({ S: v1Execution });
    expect(heldLocks(runtime)).toEqual([expect.stringMatching(/sales%2Fcustomers\.json$/)]);
  });

  it.each(['sales/customers', 'sales/customers_v2'])("is left alone when unlock, named '%s', clears the lock of table customers_v2", async (ref) => {
    const stopped = 'arn:aws:states:eu-west-1:111111111111:execution:gone:run';
    await holdLock(customers, stopped);
    const result = await unlockDataset(fixture.runtime, ref, 'test', 'tester');

    expect(result).toMatchObject({ status: 'unlocked', record: { dataset: 'sales/customers', previousHolder: { execution: stopped } } });
    expect(await holderOf(customers)).toBeUndefined();
    expect(await holderOf(customersV1)).toBeDefined();
  });
});

/** The hook state and transition coverage is measured by: every execution the engine runs, with its events. */
describe('the onExecution observer', () => {
  const enteredStates = (result: ExecutionResult): string[] =>
    result.events.filter((event) => event.kind === 'entered').map((event) => event.state);

  it('is told of each pipeline and maintenance execution, with its machine and every state event', async () => {
    const { runtime } = fixture;
    const before = observed.length;
    const run = await runtime.run('sales/orders', sample('sales', 'orders.csv'), at);
    const maintained = await runtime.maintain('sales');

    const told = observed.slice(before);
    expect(maintained.status).toBe('SUCCEEDED');
    expect(told.map(({ machine }) => machine.name)).toEqual([run.stateMachine, maintained.stateMachine]);
    expect(told.map(({ result }) => result.status)).toEqual([run.status, maintained.status]);
    expect(told.map(({ result }) => enteredStates(result))).toEqual([run.visitedStates, maintained.visitedStates]);
  });
});
