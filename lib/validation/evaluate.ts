import type { CompiledRowRule, CompiledTableRule, CompiledValidation } from './compile.ts';
import type { RuleResult } from './report.ts';
import { reportedColumn } from './rule.ts';
import { meetsThreshold } from './threshold.ts';

/** The metrics query's one row, by alias. */
export type MetricValues = ReadonlyMap<string, number | null>;

/** What a `type: sql` rule's own query returned, or why it could not run; a rule judged by row uses only the error. */
export interface SqlOutcome {
  readonly observed: number | null;
  readonly error?: string;
}

export interface EvaluationContext {
  readonly metrics: MetricValues;
  /** Freshness is measured against it, so a replay of the same file gives the same verdict. */
  readonly ingestTime: Date;
  /** By rule id. */
  readonly sqlOutcomes: ReadonlyMap<string, SqlOutcome>;
}

function metric(metrics: MetricValues, alias: string): number | null {
  if (!metrics.has(alias)) throw new Error(`metric ${alias} is missing from the metrics row`);
  return metrics.get(alias)!;
}

function percent(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

function rowRuleResult({ rule, failedMetric, denominatorMetric }: CompiledRowRule, context: EvaluationContext): RuleResult {
  const { metrics } = context;
  const broken = rule.test.failsWhen === 'selectedBySql' ? context.sqlOutcomes.get(rule.id)?.error : undefined;
  if (broken !== undefined) return sqlRowRuleNotRun(rule, broken);
  const failedCount = metric(metrics, failedMetric) ?? 0;
  const failedPercent = percent(failedCount, metric(metrics, denominatorMetric) ?? 0);
  const { threshold } = rule;
  const observed = threshold?.unit === 'percent' ? failedPercent : failedCount;
  const passed = threshold === null ? failedCount === 0 : meetsThreshold(observed, threshold);
  return {
    id: rule.id,
    kind: rule.kind,
    column: reportedColumn(rule),
    severity: rule.severity,
    status: passed ? 'passed' : 'failed',
    passed,
    failedCount,
    failedPercent,
    observed,
    threshold,
    samples: [],
  };
}

/** A sql rule whose query could not select its rows: failed, with why, and no row blamed. */
function sqlRowRuleNotRun(rule: CompiledRowRule['rule'], error: string): RuleResult {
  return {
    id: rule.id,
    kind: rule.kind,
    column: reportedColumn(rule),
    severity: rule.severity,
    status: 'failed',
    passed: false,
    failedCount: 0,
    failedPercent: 0,
    observed: null,
    threshold: rule.threshold,
    samples: [],
    message: error,
  };
}

/** The measured value of a table-level rule, or null when there was nothing to measure. */
function tableObservation(
  { rule, metrics: aliases }: CompiledTableRule,
  context: EvaluationContext,
): { observed: number | null; message?: string } {
  const values = aliases.map((alias) => metric(context.metrics, alias));
  switch (rule.test.measures) {
    case 'rowCount':
      return { observed: values[0] ?? 0 };
    case 'freshness': {
      const newest = values[0];
      return { observed: newest === null || newest === undefined ? null : context.ingestTime.getTime() / 1000 - newest };
    }
    case 'classBalance': {
      const [nonNull, ...classCounts] = values;
      if (!nonNull) return { observed: null };
      return { observed: percent(Math.min(...classCounts.map((count) => count ?? 0)), nonNull) };
    }
    case 'sql': {
      const outcome = context.sqlOutcomes.get(rule.id);
      if (outcome === undefined) throw new Error(`no outcome for sql rule ${rule.id}`);
      return { observed: outcome.observed, ...(outcome.error !== undefined && { message: outcome.error }) };
    }
  }
}

/**
 * Whether an unmeasurable table rule passes: a class balance with no values has nothing out of
 * balance; freshness without a single timestamp, or a SQL rule without a number, cannot be shown.
 */
function passesUnmeasured(compiled: CompiledTableRule): boolean {
  return compiled.rule.test.measures === 'classBalance';
}

function tableRuleResult(compiled: CompiledTableRule, context: EvaluationContext): RuleResult {
  const { rule } = compiled;
  const { observed, message } = tableObservation(compiled, context);
  const passed =
    observed === null ? passesUnmeasured(compiled) : rule.threshold === null || meetsThreshold(observed, rule.threshold);
  return {
    id: rule.id,
    kind: rule.kind,
    column: null,
    severity: rule.severity,
    status: passed ? 'passed' : 'failed',
    passed,
    failedCount: 0,
    failedPercent: 0,
    observed,
    threshold: rule.threshold,
    samples: [],
    ...(message !== undefined && { message }),
  };
}

/** Every rule's verdict from the metrics of one file; samples are fetched afterwards for failed rules. */
export function evaluateRules(compiled: CompiledValidation, context: EvaluationContext): RuleResult[] {
  return compiled.rules.map((rule) =>
    'failing' in rule ? rowRuleResult(rule, context) : tableRuleResult(rule, context),
  );
}
