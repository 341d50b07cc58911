/**
 * In-test stand-ins for every Task of a pipeline, returning each real integration's response
 * shape: the validator's `{Payload}`, Athena's `{QueryExecution}` after running the load step's
 * DuckDB rendering on the local lake, and a lock table that applies the definition's conditions.
 */
import type { JsonObject, JsonValue } from '../../lib/local/stepfunctions/json.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';
import type { TaskHandler, TaskHandlers } from '../../lib/local/stepfunctions/task-handlers.ts';
import type { ValidationOutcome } from '../../lib/ingest/process-landed-file.ts';
import type { LoadStep } from '../../lib/pipeline/load-step.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import type { LoadFixture } from './helpers.ts';

const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';

/** The S3 PutObject of each OpenLineage event a run writes. */
export const LINEAGE_WRITES = [S.writeLineageStart, S.writeLineageLoaded, S.writeLineageNothingToLoad, S.writeLineageRejected, S.writeLineageFailed] as const;

function field(value: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  return path.reduce<JsonValue | undefined>(
    (current, key) => (current !== null && typeof current === 'object' && !Array.isArray(current) ? current[key] : undefined),
    value,
  );
}

function stringField(value: JsonValue, ...path: string[]): string {
  const found = field(value, ...path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path.join('.')} of ${JSON.stringify(value)}`);
  return found;
}

/** The lock items, keyed like the table; conditions are checked as the definition states them. */
export class FakeLockTable {
  readonly items = new Map<string, string>();

  put(input: JsonValue): JsonObject {
    const key = stringField(input, 'Item', 'pk', 'S');
    const holder = stringField(input, 'Item', 'holder', 'S');
    const current = this.items.get(key);
    const condition = stringField(input, 'ConditionExpression');
    const allowed =
      condition === 'attribute_not_exists(#pk) OR #holder = :me'
        ? current === undefined || current === stringField(input, 'ExpressionAttributeValues', ':me', 'S')
        : condition === '#holder = :stale'
          ? current !== undefined && current === stringField(input, 'ExpressionAttributeValues', ':stale', 'S')
          : undefined;
    if (allowed === undefined) throw new Error(`unexpected condition ${condition}`);
    if (!allowed) throw new TaskError(CONDITION_FAILED, 'The conditional request failed');
    this.items.set(key, holder);
    return {};
  }

  get(input: JsonValue): JsonObject {
    const holder = this.items.get(stringField(input, 'Key', 'pk', 'S'));
    return holder === undefined ? {} : { Item: { holder: { S: holder } } };
  }

  delete(input: JsonValue): JsonObject {
    const key = stringField(input, 'Key', 'pk', 'S');
    if (stringField(input, 'ConditionExpression') !== '#holder = :me') throw new Error('unexpected delete condition');
    if (this.items.get(key) !== stringField(input, 'ExpressionAttributeValues', ':me', 'S')) {
      throw new TaskError(CONDITION_FAILED, 'The conditional request failed');
    }
    this.items.delete(key);
    return {};
  }
}

export interface OfflinePipeline {
  readonly handlers: TaskHandlers;
  /** Each Task's inputs, in call order. */
  readonly calls: Partial<Record<string, JsonValue[]>>;
  readonly locks: FakeLockTable;
}

export interface OfflinePipelineOptions {
  readonly outcome: ValidationOutcome;
  readonly load: LoadStep;
  readonly lake: LoadFixture;
  /** Replaces some handlers (they are still recorded). */
  readonly overrides?: Partial<Record<string, TaskHandler>>;
}

/** The load as the offline runtime runs it: values read back from the formatted query, DuckDB on the lake. */
export function loadOnLake(load: LoadStep, lake: LoadFixture): TaskHandler {
  return async (input) => {
    const write = load.duckdb(load.argumentsOf(stringField(input as JsonValue, 'QueryString')));
    const snapshot = await lake.lake.write(lake.connection, write.database, write.table, write.operation, write.statements);
    return { QueryExecution: { QueryExecutionId: `local-${snapshot.snapshotId}`, Status: { State: 'SUCCEEDED' } } };
  };
}

export function offlinePipeline(options: OfflinePipelineOptions): OfflinePipeline {
  const locks = new FakeLockTable();
  const calls: Partial<Record<string, JsonValue[]>> = {};
  const defaults: Record<string, TaskHandler> = {
    [S.validate]: async () => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: options.outcome }),
    [S.acquireLock]: async (input) => locks.put(input),
    [S.readLockHolder]: async (input) => locks.get(input),
    [S.describeLockHolder]: async () => ({ Status: 'RUNNING' }),
    [S.takeOverLock]: async (input) => locks.put(input),
    [S.load]: loadOnLake(options.load, options.lake),
    [S.releaseLock]: async (input) => locks.delete(input),
    [S.releaseLockAfterFailure]: async (input) => locks.delete(input),
    [S.publishMetrics]: async () => ({}),
    [S.announceLoaded]: async () => ({ Entries: [{ EventId: 'event-1' }], FailedEntryCount: 0 }),
    [S.alertRejected]: async () => ({ MessageId: 'message-1' }),
    [S.alertQuarantined]: async () => ({ MessageId: 'message-2' }),
    [S.alertFailed]: async () => ({ MessageId: 'message-3' }),
    ...Object.fromEntries(LINEAGE_WRITES.map((state) => [state, async () => ({ ETag: `"${state}"` })])),
  };
  const handlers = Object.fromEntries(
    Object.entries({ ...defaults, ...options.overrides }).map(([name, respond]): [string, TaskHandler] => [
      name,
      async (input) => {
        (calls[name] ??= []).push(input);
        return respond!(input);
      },
    ]),
  );
  return { handlers, calls, locks };
}
