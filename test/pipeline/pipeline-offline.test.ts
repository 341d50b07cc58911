/**
 * The synthesized pipeline definition run offline in the local interpreter, every Task replaced by
 * an in-test handler returning the real integration's response shape; the load runs its DuckDB
 * rendering on a local lake.
 */
import { Duration } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationOutcome } from '../../lib/ingest/process-landed-file.ts';
import { stageStateMachines } from '../../lib/cli/offline-environment.ts';
import { type SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { runStateMachine, type ExecutionResult } from '../../lib/local/stepfunctions/run.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import { errorWithoutCause } from './error-without-cause.ts';
import type { LoadStep } from '../../lib/pipeline/load-step.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { orders, useLoadFixture } from './helpers.ts';
import { LINEAGE_WRITES, offlinePipeline, type OfflinePipeline } from './offline-handlers.ts';
import { BUCKETS, pipelineStage } from './pipeline-stage.ts';

const FILE = { fileId: '0123456789abcdef01234567', sourceId: '89abcdef0123456789abcdef', ingestDate: '2026-04-01', ingestedAt: '2026-04-01 06:00:00.000' };
const INPUT = { bucket: 'acme-dev-landing-111111111111-eu-west-1', key: 'sales/orders/2026/orders.csv', versionId: 'v1' };
const OTHER_EXECUTION = 'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-sales-pipeline-orders:earlier';
const MAX_COMMIT_CONFLICT_RETRIES = 2;
const MAX_LOCK_WAITS = 2;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const outcome = (overrides: Partial<ValidationOutcome> = {}): ValidationOutcome => ({
  passed: true,
  ...FILE,
  rowCount: 2,
  rowsPassed: 2,
  rowsQuarantined: 0,
  reportKey: `reports/sales/orders/2026/04/01/orders.csv-${FILE.fileId}.json`,
  validatedKey: `sales/orders/ingest_date=${FILE.ingestDate}/${FILE.fileId}.parquet`,
  failedRules: [],
  ...overrides,
});

function athenaFailure(reason: string): TaskError {
  return new TaskError(
    'States.TaskFailed',
    JSON.stringify({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: reason } } }),
  );
}

describe('the pipeline definition, run offline', () => {
  let machine: SynthesizedStateMachine;
  let load: LoadStep;
  const fixture = useLoadFixture();

  beforeAll(() => {
    const { stage, pipeline } = pipelineStage(orders, {
      lockWaitInterval: Duration.seconds(1),
      maxLockWaits: MAX_LOCK_WAITS,
      maxCommitConflictRetries: MAX_COMMIT_CONFLICT_RETRIES,
    });
    load = pipeline.load;
    [machine] = stageStateMachines(stage) as [SynthesizedStateMachine];
  });

  async function run(pipeline: OfflinePipeline): Promise<ExecutionResult> {
    return runStateMachine({
      definition: machine.definition,
      input: INPUT,
      handlers: pipeline.handlers,
      stateMachineArn: machine.arn,
      executionName: 'this-run',
      retryPauseMs: 0,
    });
  }

  async function prepareFile(): Promise<void> {
    const { prepareTables, writeValidated } = fixture();
    await prepareTables(orders);
    await writeValidated(orders, FILE, [
      [1, "'ORD-1'", "'placed'", '10.00', '1', "'2026-04-01T08:00:00Z'"],
      [2, "'ORD-2'", "'paid'", '12.50', '2', "'2026-04-01T09:00:00Z'"],
    ]);
  }

  const thisExecution = (): string => `${machine.arn.replace(':stateMachine:', ':execution:')}:this-run`;

  it('validates, locks, loads, releases, measures and announces, reaching Succeed', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({ outcome: outcome(), load, lake: fixture() });
    const result = await run(pipeline);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates).toEqual([
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
    expect(pipeline.calls[S.validate]).toEqual([{ FunctionName: expect.stringContaining(':function:acme-dev-sales-orders-validate'), Payload: INPUT }]);
    expect(pipeline.calls[S.acquireLock]?.[0]).toMatchObject({ Item: { pk: { S: 'sales/orders' }, holder: { S: thisExecution() } } });
    expect(pipeline.locks.items.size).toBe(0);
    expect((await fixture().rows(orders, 'order_id')).map((row) => row['order_id'])).toEqual(['ORD-1', 'ORD-2']);
    expect(pipeline.calls[S.publishMetrics]?.[0]).toMatchObject({
      Namespace: 'ContractLakehouse',
      MetricData: [{ MetricName: 'RowsLoaded', Value: 2, Dimensions: [{ Name: 'Environment', Value: 'dev' }, { Name: 'Domain', Value: 'sales' }, { Name: 'Dataset', Value: 'orders' }] }],
    });
    expect(pipeline.calls[S.announceLoaded]?.[0]).toMatchObject({
      Entries: [{ Source: 'contract-lakehouse', DetailType: 'DatasetLoaded', Detail: { dataset: 'sales/orders', fileId: FILE.fileId, ingestDate: FILE.ingestDate, rowsLoaded: 2 } }],
    });
  });

  it('loads all the same when no lineage event can be written, keeping the write failure in its output', async () => {
    await prepareFile();
    const refused = async (): Promise<never> => Promise.reject(new TaskError('S3.AccessDenied', 'Access Denied'));
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: Object.fromEntries(LINEAGE_WRITES.map((state) => [state, refused])),
    });
    const result = await run(pipeline);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates.slice(-2)).toEqual([S.writeLineageLoaded, S.loaded]);
    // Retried as a notification is (the first call and 4 retries), then given up.
    expect(pipeline.calls[S.writeLineageStart]).toHaveLength(5);
    expect((await fixture().rows(orders, 'order_id')).map((row) => row['order_id'])).toEqual(['ORD-1', 'ORD-2']);
    expect(result.output).toMatchObject({ lineageWriteFailure: { Error: 'S3.AccessDenied' } });
  });

  it("hands Athena exactly the load step's Athena rendering, with a fresh request token in the domain's pipeline workgroup", async () => {
    await prepareFile();
    const pipeline = offlinePipeline({ outcome: outcome(), load, lake: fixture() });
    await run(pipeline);
    const [request] = pipeline.calls[S.load] as [JsonValue];
    expect(request).toMatchObject({ QueryString: load.athena(FILE), ClientRequestToken: expect.stringMatching(UUID), WorkGroup: 'acme-dev-sales-pipeline' });
  });

  it('loads a replayed file without adding rows', async () => {
    await prepareFile();
    for (let replay = 0; replay < 2; replay++) {
      expect((await run(offlinePipeline({ outcome: outcome(), load, lake: fixture() }))).status).toBe('SUCCEEDED');
    }
    expect(await fixture().rows(orders, 'order_id')).toHaveLength(2);
  });

  it('alerts about quarantined rows after loading the good ones', async () => {
    await prepareFile();
    const failedRules = [{ id: 'status_known', kind: 'invalidValues' as const, column: 'status', failedCount: 1 }];
    const pipeline = offlinePipeline({ outcome: outcome({ passed: false, rowCount: 3, rowsQuarantined: 1, failedRules }), load, lake: fixture() });
    const result = await run(pipeline);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates.slice(-4)).toEqual([S.checkQuarantinedRows, S.alertQuarantined, S.writeLineageLoaded, S.loaded]);
    expect(pipeline.calls[S.alertQuarantined]?.[0]).toMatchObject({
      Message: {
        alert: 'RowsQuarantined',
        dataset: 'sales/orders',
        file: `s3://${INPUT.bucket}/${INPUT.key}`,
        report: `s3://${BUCKETS.audit}/${outcome().reportKey}`,
        rowsLoaded: 2,
        rowsQuarantined: 1,
        failedRules,
      },
    });
  });

  it('rejects a file none of whose rows passed, alerting with the report and failed rules, loading nothing', async () => {
    const failedRules = [{ id: 'orders_not_empty', kind: 'rowCount' as const, column: null, failedCount: 0 }];
    const pipeline = offlinePipeline({
      outcome: outcome({ passed: false, rowCount: 0, rowsPassed: 0, validatedKey: null, failedRules }),
      load,
      lake: fixture(),
    });
    const result = await run(pipeline);

    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.FileRejected' });
    expect(result.visitedStates).toEqual([
      S.startLineageRun,
      S.writeLineageStart,
      S.validate,
      S.checkValidation,
      S.writeLineageRejected,
      S.alertRejected,
      S.fileRejected,
    ]);
    expect(pipeline.calls[S.alertRejected]?.[0]).toMatchObject({
      Subject: 'File rejected: sales/orders',
      Message: { alert: 'FileRejected', report: `s3://${BUCKETS.audit}/${outcome().reportKey}`, failedRules, execution: thisExecution() },
    });
    expect(pipeline.calls[S.load]).toBeUndefined();
  });

  it("keeps a rejected file's FAIL, with its row counts, and sends the failure alert when the rejection alert cannot be sent", async () => {
    const pipeline = offlinePipeline({
      outcome: outcome({ passed: false, rowCount: 3, rowsPassed: 0, rowsQuarantined: 3, validatedKey: null }),
      load,
      lake: fixture(),
      overrides: {
        [S.alertRejected]: async () => {
          throw new TaskError('SNS.InternalError', 'SNS is down');
        },
      },
    });
    const result = await run(pipeline);

    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(result.visitedStates.slice(-4)).toEqual([S.writeLineageRejected, S.alertRejected, S.alertFailed, S.pipelineFailed]);
    // One terminal event, the rejection's: not the generic FAIL naming the SNS error, without row counts.
    expect(pipeline.calls[S.writeLineageFailed]).toBeUndefined();
    const [rejection] = pipeline.calls[S.writeLineageRejected] as [{ Body: { eventType: string; inputs: { inputFacets: unknown }[]; outputs: { outputFacets: unknown }[] } }];
    expect(rejection.Body).toMatchObject({
      eventType: 'FAIL',
      inputs: [{ inputFacets: { dataQualityMetrics: { rowCount: 3 } } }],
      outputs: [{ outputFacets: { outputStatistics: { rowCount: 0 } } }],
    });
    expect(pipeline.calls[S.alertFailed]?.[0]).toMatchObject({ Message: { alert: 'PipelineFailed', failure: { Error: 'SNS.InternalError' } } });
  });

  it('succeeds without loading an empty file that met its contract', async () => {
    const pipeline = offlinePipeline({ outcome: outcome({ rowCount: 0, rowsPassed: 0, validatedKey: null }), load, lake: fixture() });
    const result = await run(pipeline);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates).toEqual([S.startLineageRun, S.writeLineageStart, S.validate, S.checkValidation, S.writeLineageNothingToLoad, S.nothingToLoad]);
  });

  it('retries Athena throttling with the same request token, then loads', async () => {
    await prepareFile();
    let starts = 0;
    const pipeline = offlinePipeline({ outcome: outcome(), load, lake: fixture() });
    const loadOnLake = pipeline.handlers[S.load]!;
    const throttled = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.load]: async (input) => {
          starts += 1;
          if (starts === 1) throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
          return loadOnLake(input);
        },
      },
    });
    const result = await run(throttled);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.events).toContainEqual(expect.objectContaining({ kind: 'retried', state: S.load }));
    const tokens = (throttled.calls[S.load] as { ClientRequestToken: string }[]).map((request) => request.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
    expect(await fixture().rows(orders, 'order_id')).toHaveLength(2);
  });

  it('catches a failed load into AlertFailed, releasing the lock, and fails', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.load]: async () => {
          throw athenaFailure('HIVE_BAD_DATA: Field amount is not a decimal');
        },
      },
    });
    const result = await run(pipeline);

    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(result.visitedStates.slice(-6)).toEqual([S.load, S.checkLoadFailure, S.releaseLockAfterFailure, S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    expect(pipeline.calls[S.load]).toHaveLength(1);
    expect(pipeline.locks.items.size).toBe(0);
    expect(pipeline.calls[S.alertFailed]?.[0]).toMatchObject({
      Subject: 'Pipeline failed: sales/orders',
      Message: { alert: 'PipelineFailed', input: INPUT, failure: { Error: 'States.TaskFailed', Cause: expect.stringContaining('HIVE_BAD_DATA') } },
    });
  });

  it('writes the FAIL event and alerts for a failure without a Cause, which AWS omits when the error carries none', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.validate]: async () => {
          throw errorWithoutCause('Lambda.Unknown');
        },
      },
    });
    const result = await run(pipeline);

    // A path to an absent Cause would be States.Runtime, which no Catch handles: no FAIL event and no alert.
    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(result.visitedStates.slice(-3)).toEqual([S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    const [write] = pipeline.calls[S.writeLineageFailed] as [{ Body: { run: { facets: { errorMessage: { message: string } } } } }];
    expect(JSON.parse(write.Body.run.facets.errorMessage.message)).toEqual({ Error: 'Lambda.Unknown' });
    expect(pipeline.calls[S.alertFailed]?.[0]).toMatchObject({ Message: { failure: { Error: 'Lambda.Unknown' } } });
  });

  it('starts the load again with a fresh token after an Iceberg commit conflict', async () => {
    await prepareFile();
    let starts = 0;
    const base = offlinePipeline({ outcome: outcome(), load, lake: fixture() });
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.load]: async (input) => {
          starts += 1;
          if (starts === 1) throw athenaFailure('ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table');
          return base.handlers[S.load]!(input);
        },
      },
    });
    const result = await run(pipeline);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates).toContain(S.renewLoadToken);
    const tokens = (pipeline.calls[S.load] as { ClientRequestToken: string }[]).map((request) => request.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toMatch(UUID);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('gives up on commit conflicts after the configured number of fresh loads', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.load]: async () => {
          throw athenaFailure('ICEBERG_COMMIT_ERROR: Failed to commit Iceberg update to table');
        },
      },
    });
    const result = await run(pipeline);

    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(pipeline.calls[S.load]).toHaveLength(MAX_COMMIT_CONFLICT_RETRIES + 1);
    expect(result.visitedStates.filter((state) => state === S.renewLoadToken)).toHaveLength(MAX_COMMIT_CONFLICT_RETRIES);
    expect(pipeline.locks.items.size).toBe(0);
  });

  it('waits while another running execution holds the lock, then takes it', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        // The holder finishes while this execution waits.
        [S.describeLockHolder]: async () => {
          pipeline.locks.items.clear();
          return { Status: 'RUNNING' };
        },
      },
    });
    pipeline.locks.items.set('sales/orders', OTHER_EXECUTION);
    const result = await run(pipeline);

    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates.slice(5, 14)).toEqual([
      S.acquireLock,
      S.readLockHolder,
      S.checkLockHeld,
      S.describeLockHolder,
      S.checkLockHolderRunning,
      S.waitForLock,
      S.countLockWait,
      S.checkLockWaits,
      S.acquireLock,
    ]);
    expect(pipeline.calls[S.describeLockHolder]).toEqual([{ ExecutionArn: OTHER_EXECUTION }]);
  });

  it('takes over the lock of an execution that stopped without releasing it', async () => {
    await prepareFile();
    for (const stopped of [async () => ({ Status: 'ABORTED' }), async () => Promise.reject(new TaskError('Sfn.ExecutionDoesNotExistException', 'gone'))]) {
      const pipeline = offlinePipeline({ outcome: outcome(), load, lake: fixture(), overrides: { [S.describeLockHolder]: stopped } });
      pipeline.locks.items.set('sales/orders', OTHER_EXECUTION);
      const result = await run(pipeline);

      expect(result.status).toBe('SUCCEEDED');
      expect(result.visitedStates).toContain(S.takeOverLock);
      expect(result.visitedStates).not.toContain(S.waitForLock);
      expect(pipeline.calls[S.describeLockHolder]).toHaveLength(1);
      expect(pipeline.calls[S.takeOverLock]?.[0]).toMatchObject({ ExpressionAttributeValues: { ':stale': { S: OTHER_EXECUTION } } });
      expect(pipeline.locks.items.size).toBe(0);
    }
  });

  it('alerts and fails, leaving the holder its lock, when the lock stays held too long', async () => {
    await prepareFile();
    const pipeline = offlinePipeline({ outcome: outcome(), load, lake: fixture() });
    pipeline.locks.items.set('sales/orders', OTHER_EXECUTION);
    const result = await run(pipeline);

    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(result.visitedStates.filter((state) => state === S.waitForLock)).toHaveLength(MAX_LOCK_WAITS);
    expect(result.visitedStates.slice(-4)).toEqual([S.lockNotAcquired, S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    expect(pipeline.calls[S.load]).toBeUndefined();
    expect(pipeline.locks.items.get('sales/orders')).toBe(OTHER_EXECUTION);
    expect(pipeline.calls[S.alertFailed]?.[0]).toMatchObject({ Message: { failure: { Error: 'Pipeline.LockNotAcquired' } } });
  });

  it('retries a Lambda service error of the validator, but alerts on an error of the function itself', async () => {
    await prepareFile();
    let invocations = 0;
    const flaky = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.validate]: async () => {
          invocations += 1;
          if (invocations === 1) throw new TaskError('Lambda.TooManyRequestsException', 'Rate exceeded');
          return { StatusCode: 200, Payload: outcome() };
        },
      },
    });
    expect((await run(flaky)).status).toBe('SUCCEEDED');
    expect(flaky.calls[S.validate]).toHaveLength(2);

    const broken = offlinePipeline({
      outcome: outcome(),
      load,
      lake: fixture(),
      overrides: {
        [S.validate]: async () => {
          throw new TaskError('Error', 'the file could not be downloaded');
        },
      },
    });
    const result = await run(broken);
    expect(result).toMatchObject({ status: 'FAILED', error: 'Pipeline.Failed' });
    expect(broken.calls[S.validate]).toHaveLength(1);
    expect(result.visitedStates).toEqual([S.startLineageRun, S.writeLineageStart, S.validate, S.writeLineageFailed, S.alertFailed, S.pipelineFailed]);
    expect(broken.calls[S.alertFailed]?.[0]).toMatchObject({ Message: { failure: { Error: 'Error', Cause: 'the file could not be downloaded' } } });
  });
});
