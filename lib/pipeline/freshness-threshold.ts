import type { Dataset } from '../contracts/model.ts';

/**
 * The most seconds a dataset may go without a load before it breaks its contract's SLA: its
 * delivery `frequency` when declared (a file is due every interval), else its freshness `maxAge`
 * (data older than that is stale even if it came); undefined when the contract declares neither.
 * The freshness alarm and the dashboards' freshness line both read it, so they always agree.
 */
export function freshnessThresholdSeconds(dataset: Pick<Dataset, 'frequency' | 'freshness'>): number | undefined {
  return dataset.frequency ?? dataset.freshness?.maxAge;
}
