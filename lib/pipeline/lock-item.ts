import { silverTableName } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';

/**
 * The lock item of a dataset's silver table, as the pipeline's DynamoDB lock table holds it and
 * the offline lock table mirrors it: shared by the cloud states and the local runtime, so it lives
 * below both.
 */

/** Partition key of a lock item. */
export const LOCK_KEY_ATTRIBUTE = 'pk';
/** The execution ARN holding a lock. */
export const LOCK_HOLDER_ATTRIBUTE = 'holder';

/**
 * `<domain>/<silver table>`: the lock guards the table a run writes (DESIGN.md "Locks"), so every
 * major version writing one table shares its lock (majors 0 and 1 both write `orders`) and a new
 * major writing its own table (`orders_v2`) never waits for, or has to take over, a lock of the
 * table it replaces. The pipeline state machine is named from the same table, so the executions
 * that may hold a lock are always those of the one state machine its key names.
 */
export function tableLockKey(dataset: Pick<Dataset, 'domain' | 'names'>): string {
  return `${dataset.domain}/${silverTableName(dataset)}`;
}
