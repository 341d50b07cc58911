import type { TrainingRunRecord } from '../../local/runtime/pipeline-runtime.ts';

/**
 * A run record's metrics by name. The record keeps the training job's `FinalMetricDataList` as
 * SageMaker returns it (`[{MetricName, Value}]`); a failed run has none.
 */
export function recordMetrics(record: TrainingRunRecord): Record<string, number> {
  const metrics = record['metrics'];
  if (!Array.isArray(metrics)) return {};
  return Object.fromEntries(
    metrics.flatMap((metric) => {
      const entry = metric as { MetricName?: unknown; Value?: unknown } | null;
      return typeof entry?.MetricName === 'string' && typeof entry.Value === 'number' ? [[entry.MetricName, entry.Value]] : [];
    }),
  );
}
