/**
 * The scheduled freshness check (issue 12 item 2): a file that never comes emits no metric of its
 * own, so a function looks, for each dataset with an SLA, when its pipeline last succeeded and
 * publishes the age as `LastLoadAgeSeconds`, which the dataset's freshness alarm compares with the
 * contract's threshold. Pure: the handler makes the calls.
 */
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE, validationMetricDimensions } from '../ingest/validation-metrics.ts';
import { freshnessThresholdSeconds } from './freshness-threshold.ts';
import { OPERATIONAL_METRICS } from './operational-metrics.ts';

/** What the check knows of one dataset, bundled with the function. */
export interface FreshnessTarget {
  readonly domain: string;
  readonly dataset: string;
  /** Its pipeline's state machine, whose successful executions are its loads. */
  readonly stateMachineName: string;
}

export interface FreshnessCheckConfig {
  /** Environment name, the metric's `Environment` dimension. */
  readonly environment: string;
  readonly targets: readonly FreshnessTarget[];
}

/** When a dataset was last loaded, or, never loaded, since when it could have been. */
export type LoadTimes = { readonly lastLoadedAt: Date } | { readonly lastLoadedAt?: undefined; readonly pipelineCreatedAt: Date };

/** CloudWatch's limit of metric data per PutMetricData call. */
export const MAX_METRIC_DATA_PER_CALL = 1000;

/** Only datasets whose contract declares a threshold are watched: without one there is nothing to breach. */
export function freshnessTargets(datasets: readonly Dataset[], stateMachineName: (dataset: Dataset) => string): FreshnessTarget[] {
  return datasets
    .filter((dataset) => freshnessThresholdSeconds(dataset) !== undefined)
    .map((dataset) => ({ domain: dataset.domain, dataset: dataset.name, stateMachineName: stateMachineName(dataset) }));
}

/**
 * Whole seconds since the last load; a dataset never loaded counts from its pipeline's creation,
 * so it breaches its SLA once that long has passed instead of never being measured. Never negative,
 * whatever the clocks say.
 */
export function lastLoadAgeSeconds(now: Date, times: LoadTimes): number {
  const since = times.lastLoadedAt ?? times.pipelineCreatedAt;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
}

export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions: { Name: string; Value: string }[];
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Seconds';
}

export interface PutMetricDataRequest {
  readonly Namespace: string;
  readonly MetricData: MetricDatum[];
}

/** The ages as PutMetricData requests, each within CloudWatch's limit per call. */
export function lastLoadAgeRequests(
  environment: string,
  ages: readonly { readonly target: FreshnessTarget; readonly seconds: number }[],
  now: Date,
): PutMetricDataRequest[] {
  const data = ages.map(({ target, seconds }): MetricDatum => {
    const dimensions = validationMetricDimensions({ environment, dataset: { domain: target.domain, name: target.dataset } });
    return {
      MetricName: OPERATIONAL_METRICS.lastLoadAgeSeconds,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      Timestamp: now,
      Value: seconds,
      Unit: 'Seconds',
    };
  });
  const requests: PutMetricDataRequest[] = [];
  for (let start = 0; start < data.length; start += MAX_METRIC_DATA_PER_CALL) {
    requests.push({ Namespace: METRICS_NAMESPACE, MetricData: data.slice(start, start + MAX_METRIC_DATA_PER_CALL) });
  }
  return requests;
}

/** The bundled configuration, checked on load, so a broken asset fails the first invocation loudly. */
export function parseFreshnessCheckConfig(text: string): FreshnessCheckConfig {
  const value = JSON.parse(text) as Partial<FreshnessCheckConfig>;
  const isTarget = (target: unknown): boolean =>
    typeof target === 'object' &&
    target !== null &&
    ['domain', 'dataset', 'stateMachineName'].every((key) => typeof (target as Record<string, unknown>)[key] === 'string');
  if (typeof value !== 'object' || value === null || typeof value.environment !== 'string' || !Array.isArray(value.targets) || !value.targets.every(isTarget)) {
    throw new Error('the freshness check configuration is not { environment, targets: [{ domain, dataset, stateMachineName }] }');
  }
  return value as FreshnessCheckConfig;
}
