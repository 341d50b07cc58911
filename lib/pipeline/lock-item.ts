import type { Dataset } from '../contracts/model.ts';

/**
 * The lock item of a dataset, as the pipeline's DynamoDB lock table holds it and the offline lock
 * table mirrors it: shared by the cloud states and the local runtime, so it lives below both.
 */

/** Partition key of a lock item. */
export const LOCK_KEY_ATTRIBUTE = 'pk';
/** The execution ARN holding a lock. */
export const LOCK_HOLDER_ATTRIBUTE = 'holder';

/** A dataset's lock item is keyed by its reference, `<domain>/<dataset>`. */
export function datasetLockKey(dataset: Pick<Dataset, 'names'>): string {
  return dataset.names.ref;
}
