import type { CompiledRowRule, CompiledValidation } from './compile.ts';
import type { RuleResult } from './report.ts';

/**
 * Where the rows of a validated file go. Under `quarantine-file` (the default) any failed error
 * rule quarantines every row; under `quarantine-rows` only rows breaking a failed error rule are
 * quarantined, unless a table-level error rule failed, which no single row can be blamed for (nor
 * can a sql rule whose query could not select its rows).
 */
export interface Disposition {
  readonly wholeFile: boolean;
  /** True for a row of `checked` that is quarantined; never NULL. */
  readonly quarantined: string;
  /** `_row` and every contract column typed: what loads. */
  readonly passingRowsQuery: string;
  /** Every contract column as delivered, `_row`, and `_violations`: the failed error rules' ids the row breaks. */
  readonly quarantinedRowsQuery: string;
  /** One row: `quarantined`, `passed` counts, for when the rows are counted without being written. */
  readonly countQuery: string;
  /**
   * Rows quarantined when known without another scan: every row of a file quarantined whole, none
   * when no error row rule failed. Undefined when only counting or writing the rows can tell.
   */
  readonly knownQuarantinedRows: number | undefined;
}

function failedErrorIds(results: readonly RuleResult[]): Set<string> {
  return new Set(results.filter((result) => result.severity === 'error' && !result.passed).map((result) => result.id));
}

export function planDisposition(
  compiled: CompiledValidation,
  results: readonly RuleResult[],
  rowCount: number,
): Disposition {
  const { dialect, dataset } = compiled;
  const failed = failedErrorIds(results);
  // A row rule whose rows could not be selected (a sql rule whose query failed) blames no row: the file is at fault.
  const judgesRows = (rule: CompiledValidation['rules'][number], index: number): rule is CompiledRowRule =>
    'failing' in rule && results[index]?.message === undefined;
  const failedRowRules = compiled.rules.filter(judgesRows).filter((rule) => failed.has(rule.rule.id));
  const failedTableIds = compiled.rules
    .filter((rule, index) => !judgesRows(rule, index) && failed.has(rule.rule.id))
    .map((rule) => rule.rule.id);
  const wholeFile = failed.size > 0 && (dataset.onViolation === 'quarantine-file' || failedTableIds.length > 0);

  const quarantined = wholeFile
    ? 'true'
    : failedRowRules.length === 0
      ? 'false'
      : `coalesce(${failedRowRules.map((rule) => `(${rule.failing})`).join(' OR ')}, false)`;

  const violations = dialect.nonNullStrings([
    ...failedRowRules.map((rule) => `CASE WHEN ${rule.failing} THEN ${dialect.string(rule.rule.id)} END`),
    ...(wholeFile ? failedTableIds.map((id) => dialect.string(id)) : []),
  ]);
  const passingRowsQuery = [
    compiled.withChecked(failedRowRules),
    `SELECT ${[...compiled.columns.map((column) => `${column.typed} AS ${column.raw}`), '_row'].join(', ')}`,
    'FROM checked',
    `WHERE NOT ${quarantined}`,
  ].join('\n');
  const quarantinedRowsQuery = [
    compiled.withChecked(failedRowRules),
    `SELECT ${[...compiled.columns.map((column) => column.raw), '_row', `${violations} AS _violations`].join(', ')}`,
    'FROM checked',
    `WHERE ${quarantined}`,
  ].join('\n');
  const countQuery = [
    compiled.withChecked(failedRowRules),
    `SELECT ${dialect.countIf(quarantined)} AS quarantined, ${dialect.countIf(`NOT ${quarantined}`)} AS passed`,
    'FROM checked',
  ].join('\n');

  const knownQuarantinedRows = wholeFile ? rowCount : failedRowRules.length === 0 ? 0 : undefined;

  return { wholeFile, quarantined, passingRowsQuery, quarantinedRowsQuery, countQuery, knownQuarantinedRows };
}
