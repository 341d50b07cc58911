import type { Dataset } from '../contracts/model.ts';

/**
 * The most seconds a dataset may go without a load before it breaks its contract's SLA: its
 * delivery `frequency` when declared (a file is due every interval), else its freshness `maxAge`
 * (data older than that is stale even if it came); undefined when the contract declares neither.
 */
export function freshnessThresholdSeconds(dataset: Pick<Dataset, 'frequency' | 'freshness'>): number | undefined {
  return dataset.frequency ?? dataset.freshness?.maxAge;
}

/**
 * The `LastLoadAgeSeconds` above which the dataset's freshness alarm breaches: its SLA plus the
 * environment's `freshnessGraceSeconds`. The alarm and the dashboard's last-load line both read
 * it, so the line is where the alarm fires.
 */
export function freshnessAlarmThresholdSeconds(dataset: Pick<Dataset, 'frequency' | 'freshness'>, graceSeconds: number): number | undefined {
  const threshold = freshnessThresholdSeconds(dataset);
  return threshold === undefined ? undefined : threshold + graceSeconds;
}
