import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Dataset } from '../contracts/model.ts';
import { wasEvaluated } from '../validation/not-evaluated.ts';
import type { RuleKind, RuleResult, ValidationReport } from '../validation/report.ts';

/** CloudWatch namespace of every lakehouse metric (DESIGN.md, "Public interfaces": metrics). */
export const METRICS_NAMESPACE = 'ContractLakehouse';

/** Metric names are a public interface: dashboards and alarms are built on them. */
export const VALIDATION_METRICS = {
  /** 1 per file validated, whatever the verdict. */
  filesValidated: 'FilesValidated',
  /** 1 per file that failed its contract, else 0 (so an alarm never lacks data). */
  filesFailed: 'FilesFailed',
  /** Data rows read from the file: rows passed plus rows quarantined. */
  rowsValidated: 'RowsValidated',
  rowsQuarantined: 'RowsQuarantined',
  /** Per rule (dimension `Rule`): rows failing a rule that failed or had failing rows. */
  ruleFailedRows: 'RuleFailedRows',
  validationMs: 'ValidationMs',
  /** Age of the newest row at ingest, when the contract declares freshness. */
  freshnessLagSeconds: 'FreshnessLagSeconds',
  /**
   * Per rule of a trend kind (dimension `Rule`), on every file it was measured: the rule's
   * `observed` value, in percent when its threshold is in percent (class balance always), else rows.
   */
  ruleObservedValue: 'RuleObservedValue',
} as const;

/**
 * The rule kinds whose observed value is worth a trend, not only a verdict: missing values and
 * class balance drift slowly, file after file, before a threshold is crossed. Other rules report
 * only their failing rows, which keeps the custom metrics (each billed) few.
 */
export const TREND_RULE_KINDS: readonly RuleKind[] = ['nullValues', 'missingValues', 'classBalance'];

/** Whether a rule's observed value is a percentage (its threshold's unit), else a count of rows. */
export function observedInPercent(rule: Pick<RuleResult, 'threshold'>): boolean {
  return rule.threshold?.unit === 'percent';
}

export interface MetricsScope {
  /** Environment name from `cdk.json`, e.g. `dev`. */
  readonly environment: string;
  readonly dataset: Pick<Dataset, 'domain' | 'name'>;
}

/**
 * One metrics buffer with exactly these dimensions. Powertools adds a `service` dimension by
 * default; the public interface names the dimension sets, so it is cleared.
 */
function metricsWith(dimensions: Record<string, string>): Metrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
  metrics.clearDefaultDimensions();
  metrics.addDimensions(dimensions);
  return metrics;
}

/**
 * The dimensions of a dataset's file metrics, as emitted: what an alarm or a dashboard must name to
 * find them (a per-rule metric adds `Rule`).
 */
export function validationMetricDimensions(scope: MetricsScope): { Environment: string; Domain: string; Dataset: string } {
  return { Environment: scope.environment, Domain: scope.dataset.domain, Dataset: scope.dataset.name };
}

/**
 * Emits a validated file's metrics as CloudWatch embedded metric format lines on stdout, which
 * Lambda ships to CloudWatch Logs and CloudWatch turns into metrics: one line for the file
 * (`Environment, Domain, Dataset`) and one per rule with failing rows or of a trend kind (`... , Rule`).
 */
export function publishValidationMetrics(report: ValidationReport, scope: MetricsScope): void {
  const dimensions = validationMetricDimensions(scope);

  const file = metricsWith(dimensions);
  file.addMetric(VALIDATION_METRICS.filesValidated, MetricUnit.Count, 1);
  file.addMetric(VALIDATION_METRICS.filesFailed, MetricUnit.Count, report.passed ? 0 : 1);
  file.addMetric(VALIDATION_METRICS.rowsValidated, MetricUnit.Count, report.rowCount);
  file.addMetric(VALIDATION_METRICS.rowsQuarantined, MetricUnit.Count, report.rowsQuarantined);
  file.addMetric(VALIDATION_METRICS.validationMs, MetricUnit.Milliseconds, report.durationMs);
  const freshnessLag = report.rules.find((rule) => rule.kind === 'freshness')?.observed;
  if (freshnessLag !== undefined && freshnessLag !== null) {
    file.addMetric(VALIDATION_METRICS.freshnessLagSeconds, MetricUnit.Seconds, freshnessLag);
  }
  file.publishStoredMetrics();

  for (const rule of report.rules) {
    // A rule that was not evaluated publishes nothing: no RuleFailedRows for what nothing counted.
    if (!wasEvaluated(rule)) continue;
    const failing = !rule.passed || rule.failedCount > 0;
    const trendValue = TREND_RULE_KINDS.includes(rule.kind) ? rule.observed : null;
    if (!failing && trendValue === null) continue;
    const perRule = metricsWith({ ...dimensions, Rule: rule.id });
    if (failing) perRule.addMetric(VALIDATION_METRICS.ruleFailedRows, MetricUnit.Count, rule.failedCount);
    if (trendValue !== null) perRule.addMetric(VALIDATION_METRICS.ruleObservedValue, observedInPercent(rule) ? MetricUnit.Percent : MetricUnit.Count, trendValue);
    perRule.publishStoredMetrics();
  }
}
