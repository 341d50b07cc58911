import { notEvaluatedReason, wasEvaluated } from '../validation/not-evaluated.ts';
import type { RuleResult, ValidationReport } from '../validation/report.ts';
import { renderTable } from './table.ts';

/** Percentages to two decimals: `11.11` reads better than `11.11111111111111`. */
function figure(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function thresholdText(rule: RuleResult): string {
  // A rule that was not run has no threshold to meet, like its other figures.
  if (!wasEvaluated(rule)) return '-';
  if (rule.threshold === null) return 'no failing row';
  const { operator, value, unit } = rule.threshold;
  const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return `${operator} ${shown} ${unit}`;
}

function observedText(rule: RuleResult): string {
  if (rule.observed === null) return '-';
  return rule.threshold?.unit === 'percent' ? `${figure(rule.observed)}%` : figure(rule.observed);
}

function resultText(rule: RuleResult): string {
  if (!wasEvaluated(rule)) return 'not run';
  if (rule.passed) return 'pass';
  return rule.severity === 'error' ? 'FAIL' : 'warn';
}

/**
 * Failed rules first (errors before warnings), so what needs fixing is at the top; then the rules
 * that were not evaluated, which are no pass; then the passes.
 */
function byUrgency(a: RuleResult, b: RuleResult): number {
  const rank = (rule: RuleResult) => (!wasEvaluated(rule) ? 2 : rule.passed ? 3 : rule.severity === 'error' ? 0 : 1);
  return rank(a) - rank(b);
}

function sampleLines(rule: RuleResult): string[] {
  const lines: string[] = [];
  if (rule.message) lines.push(`  ${rule.id}: ${rule.message}`);
  if (rule.samples.length > 0) {
    const samples = rule.samples.map((sample) => `row ${sample.row}: ${JSON.stringify(sample.value)}`).join(', ');
    lines.push(`  ${rule.id}: ${samples}${rule.failedCount > rule.samples.length ? ', ...' : ''}`);
  }
  return lines;
}

/** The report as people read it in a terminal: a verdict, the rules (failed first), then samples. */
export function renderReport(report: ValidationReport): string {
  const rules = [...report.rules].sort(byUrgency);
  const failed = rules.filter((rule) => !rule.passed && wasEvaluated(rule));
  const notRun = rules.filter((rule) => !wasEvaluated(rule));
  const verdict = report.passed ? 'PASSED' : 'FAILED';
  const header = [
    `${verdict}  ${report.dataset} (contract ${report.contractId} ${report.contractVersion})`,
    `file ${report.file}: ${report.rowCount} rows, ${report.rowsPassed} passed, ${report.rowsQuarantined} quarantined, ${report.durationMs} ms`,
  ];
  const table = renderTable(
    ['RESULT', 'RULE', 'KIND', 'SEVERITY', 'FAILED ROWS', 'OBSERVED', 'THRESHOLD'],
    rules.map((rule) => [
      resultText(rule),
      rule.id,
      rule.kind,
      rule.severity,
      !wasEvaluated(rule) || (rule.threshold === null && rule.column === null && rule.failedCount === 0)
        ? '-'
        : `${rule.failedCount} (${figure(rule.failedPercent)}%)`,
      observedText(rule),
      thresholdText(rule),
    ]),
  );
  const samples = failed.flatMap(sampleLines);
  const reasons = notRun.map((rule) => `  ${rule.id}: ${notEvaluatedReason(rule)}`);
  return [
    ...header,
    '',
    table,
    ...(samples.length > 0 ? ['', 'Details (values of sensitive columns masked):', ...samples] : []),
    ...(reasons.length > 0 ? ['', 'Not evaluated (the contract has these rules; nothing checked them):', ...reasons] : []),
  ].join('\n');
}
