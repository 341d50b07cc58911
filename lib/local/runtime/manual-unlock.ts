/**
 * `lakehouse unlock`: clears a dataset's lock by hand, offline, and records who did it, when, why
 * and who held the lock in the audit zone (`unlocks/<domain>/<dataset>/<time>.json`, tagged with
 * the dataset's retention class). A lock whose holder stopped is taken over by the next run on its
 * own; this is for the lock that cannot be, or that a person decided to clear. The lock table and
 * item key are read from the synthesized pipeline's `AcquireLock` state, never retyped. A lock
 * guards the table the dataset's current major version writes, so a dataset is named either way:
 * `sales/customers`, or its table `sales/customers_v2`, as its lock file under `.lake/locks` is.
 */
import type { Dataset } from '../../contracts/model.ts';
import { LOCK_HOLDER_ATTRIBUTE, LOCK_KEY_ATTRIBUTE, tableLockKey } from '../../pipeline/lock-item.ts';
import { pipelineStateMachineName } from '../../config/names.ts';
import { retentionTagging } from '../../ingest/retention-tagging.ts';
import { putText } from '../../ingest/s3-objects.ts';
import { PIPELINE_STATES } from '../../pipeline/state-names.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { CONDITIONAL_CHECK_FAILED } from './local-lock-table.ts';
import type { LocalPipelineRuntime } from './pipeline-runtime.ts';
import { findDataset, stateMachineNamed } from './synthesized-environment.ts';

export interface UnlockRecord {
  readonly unlockVersion: 1;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly unlockedBy: string;
  /** ISO-8601 UTC. */
  readonly unlockedAt: string;
  readonly reason: string;
  readonly previousHolder: {
    /** The execution ARN the lock named. */
    readonly execution: string;
    /** What DescribeExecution answered for it when the lock was cleared (`UNKNOWN` when no execution has that ARN). */
    readonly status: string;
    /** The lock item's other string attributes, such as the delivery it was loading (`fileId`). */
    readonly details: Readonly<Record<string, string>>;
  };
}

export type UnlockResult =
  /** The lock was cleared and the record written, at `recordKey` in the audit bucket. */
  | { readonly status: 'unlocked'; readonly record: UnlockRecord; readonly recordKey: string }
  /** No lock was held: nothing changed, nothing recorded. */
  | { readonly status: 'not-locked' }
  /** A run took the lock over while it was being cleared: it keeps it, nothing recorded. */
  | { readonly status: 'changed-hands'; readonly holder: string };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringAttribute(item: JsonObject, name: string): string | undefined {
  const attribute = item[name];
  return isObject(attribute) && typeof attribute['S'] === 'string' ? attribute['S'] : undefined;
}

/** `20261121T060000123Z`: sorts by time and is a safe file name on every system s3rver stores on. */
function compactTime(instant: Date): string {
  return instant.toISOString().replaceAll(/[-:.]/g, '');
}

export function unlockKey(dataset: Pick<Dataset, 'names'>, unlockedAt: Date): string {
  return `unlocks/${dataset.names.ref}/${compactTime(unlockedAt)}.json`;
}

/** The lock table's name and the dataset's item key, as the pipeline's AcquireLock state writes them. */
async function lockAddress(runtime: LocalPipelineRuntime, dataset: Dataset): Promise<{ readonly table: string; readonly key: JsonObject }> {
  const machine = await stateMachineNamed(runtime.environment, pipelineStateMachineName(runtime.environment.identity, dataset));
  const state = (machine.definition.States as unknown as Record<string, JsonValue>)[PIPELINE_STATES.acquireLock];
  const parameters = isObject(state) ? state['Parameters'] : undefined;
  const item = isObject(parameters) ? parameters['Item'] : undefined;
  const table = isObject(parameters) ? parameters['TableName'] : undefined;
  const key = isObject(item) ? item[LOCK_KEY_ATTRIBUTE] : undefined;
  if (typeof table !== 'string' || !isObject(key)) {
    throw new Error(`${machine.name}: state ${PIPELINE_STATES.acquireLock} names no lock table and key`);
  }
  return { table, key: { [LOCK_KEY_ATTRIBUTE]: key } };
}

/** The dataset `ref` names (`<domain>/<dataset>`), else the one whose silver table it names (`<domain>/<table>`, its lock's key). */
function datasetToUnlock(runtime: LocalPipelineRuntime, ref: string): Dataset {
  const { catalog } = runtime.environment;
  const datasets = catalog.domains.flatMap((domain) => domain.datasets);
  return (
    datasets.find((dataset) => dataset.names.ref === ref) ??
    datasets.find((dataset) => tableLockKey(dataset) === ref) ??
    // Unknown either way: refused with the dataset names to choose from.
    findDataset(catalog, ref)
  );
}

/**
 * Deletes the dataset's lock item if one is held, on the condition that it still names the holder
 * just read (a run that took it over meanwhile keeps it), then records the unlock.
 */
export async function unlockDataset(runtime: LocalPipelineRuntime, ref: string, reason: string, unlockedBy: string): Promise<UnlockResult> {
  const dataset = datasetToUnlock(runtime, ref);
  const { table, key } = await lockAddress(runtime, dataset);
  const { Item: item } = await runtime.locks.getItem({ TableName: table, Key: key, ConsistentRead: true });
  if (!isObject(item)) return { status: 'not-locked' };
  const holder = stringAttribute(item, LOCK_HOLDER_ATTRIBUTE) ?? '';
  try {
    await runtime.locks.deleteItem({
      TableName: table,
      Key: key,
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: { '#holder': LOCK_HOLDER_ATTRIBUTE },
      ExpressionAttributeValues: { ':holder': { S: holder } },
    });
  } catch (error) {
    if (error instanceof TaskError && error.name === CONDITIONAL_CHECK_FAILED) {
      const { Item: now } = await runtime.locks.getItem({ TableName: table, Key: key, ConsistentRead: true });
      return { status: 'changed-hands', holder: (isObject(now) ? stringAttribute(now, LOCK_HOLDER_ATTRIBUTE) : undefined) ?? 'nobody' };
    }
    throw error;
  }
  const unlockedAt = new Date();
  const details = Object.fromEntries(
    Object.keys(item)
      .filter((name) => name !== LOCK_KEY_ATTRIBUTE && name !== LOCK_HOLDER_ATTRIBUTE)
      .flatMap((name) => {
        const value = stringAttribute(item, name);
        return value === undefined ? [] : [[name, value]];
      }),
  );
  const record: UnlockRecord = {
    unlockVersion: 1,
    dataset: dataset.names.ref,
    unlockedBy,
    unlockedAt: unlockedAt.toISOString(),
    reason,
    previousHolder: {
      execution: holder,
      status: runtime.executions.find(holder)?.status ?? 'UNKNOWN',
      details,
    },
  };
  const recordKey = unlockKey(dataset, unlockedAt);
  await putText(runtime.s3.client, { bucket: runtime.buckets.audit, key: recordKey }, `${JSON.stringify(record, null, 2)}\n`, {
    contentType: 'application/json',
    tagging: retentionTagging(dataset),
  });
  return { status: 'unlocked', record, recordKey };
}
