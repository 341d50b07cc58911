import { RETENTION_TAG_KEY, retentionClassFor } from '../config/retention.ts';
import type { Dataset } from '../contracts/model.ts';

/**
 * The `Tagging` value (URL query form) of every object written for a dataset: its retention
 * class, set in the same request as the write so no object ever exists untagged and unexpiring.
 */
export function retentionTagging(dataset: Pick<Dataset, 'retentionDays'>): string {
  return new URLSearchParams({ [RETENTION_TAG_KEY]: retentionClassFor(dataset.retentionDays).tag }).toString();
}
