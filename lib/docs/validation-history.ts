/**
 * A dataset's validation history as chart series: one point per validation run (report), in the
 * order the runs started. One chart per kind of series; a rule absent from a run (the contract
 * changed) is a gap (null), not a zero.
 */
import type { RuleKind, ValidationReport } from '../validation/report.ts';

export type HistoryChartKind = 'rows' | 'quarantined' | 'failedRows' | 'missingValues' | 'classBalance';

export interface HistorySeries {
  readonly label: string;
  readonly data: readonly (number | null)[];
}

export interface HistoryChart {
  readonly kind: HistoryChartKind;
  readonly title: string;
  /** What the y axis counts. */
  readonly unit: string;
  readonly series: readonly HistorySeries[];
}

export interface ValidationHistory {
  /** `startedAt` of each run, oldest first: the x axis of every chart. */
  readonly runs: readonly string[];
  readonly charts: readonly HistoryChart[];
}

/** The contract's completeness rules (ODCS `missingValues`, `nullValues`); `required` columns fail files instead. */
const MISSING_VALUE_KINDS: readonly RuleKind[] = ['missingValues', 'nullValues'];

/** Oldest first; runs that started at the same instant in file order, so the order never depends on listing order. */
export function inRunOrder(reports: readonly ValidationReport[]): ValidationReport[] {
  return [...reports].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.file.localeCompare(b.file));
}

/** One series per rule of `kinds` seen in any run, `value` read from the rule's result in each run. */
function ruleSeries(
  reports: readonly ValidationReport[],
  kinds: readonly RuleKind[] | undefined,
  value: (result: ValidationReport['rules'][number]) => number | null,
): HistorySeries[] {
  const ids = [...new Set(reports.flatMap((report) => report.rules.filter((rule) => kinds === undefined || kinds.includes(rule.kind)).map((rule) => rule.id)))];
  return ids.map((id) => ({
    label: id,
    data: reports.map((report) => {
      const result = report.rules.find((rule) => rule.id === id);
      return result === undefined ? null : value(result);
    }),
  }));
}

export function validationHistory(reports: readonly ValidationReport[]): ValidationHistory {
  const runs = inRunOrder(reports);
  const charts: HistoryChart[] = [
    {
      kind: 'rows',
      title: 'Rows per run',
      unit: 'rows',
      series: [
        { label: 'rows read', data: runs.map((report) => report.rowCount) },
        { label: 'rows passed', data: runs.map((report) => report.rowsPassed) },
      ],
    },
    { kind: 'quarantined', title: 'Quarantined rows per run', unit: 'rows', series: [{ label: 'rows quarantined', data: runs.map((report) => report.rowsQuarantined) }] },
    {
      kind: 'failedRows',
      title: 'Failed rows per rule',
      unit: 'rows',
      series: ruleSeries(runs, undefined, (result) => result.failedCount).filter((series) => series.data.some((value) => value !== null && value > 0)),
    },
    { kind: 'missingValues', title: 'Missing values per run', unit: 'percent of rows', series: ruleSeries(runs, MISSING_VALUE_KINDS, (result) => result.failedPercent) },
    { kind: 'classBalance', title: 'Class balance: share of the rarest class', unit: 'percent', series: ruleSeries(runs, ['classBalance'], (result) => result.observed) },
  ];
  return { runs: runs.map((report) => report.startedAt), charts: charts.filter((chart) => chart.series.length > 0) };
}
