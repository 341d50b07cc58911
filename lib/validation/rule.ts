import type { ColumnType, NestedStep, Severity } from '../contracts/model.ts';
import type { DateText } from '../contracts/value-formats.ts';
import type { ReportThreshold, RuleKind } from './report.ts';

/**
 * One check of a dataset, whether it came from a property constraint (`required`, `maximum`, ...)
 * or from an ODCS `quality[]` entry: both are a kind, columns, a severity, a threshold and either
 * a per-row failing test or a table-level measurement.
 */
export type Rule = RowRule | TableRule;

interface RuleBase {
  readonly id: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  /** Null when any failing row fails the rule. */
  readonly threshold: ReportThreshold | null;
}

/** A rule that judges rows one by one: it counts failing rows and can name them. */
export interface RowRule extends RuleBase {
  readonly scope: 'row';
  /**
   * The column the rule is about, or the key columns of a multi-column uniqueness rule; none for a
   * dataset-level sql rule, whose condition may read any.
   */
  readonly columns: readonly string[];
  /** When the rule judges a field inside the column (`columns[0]`) rather than its value. */
  readonly nested?: NestedValue;
  readonly test: RowTest;
}

/**
 * A scalar field inside an object or array column: the rule's test judges its value, and a row
 * fails when the field fails in any item of a list on the way (any line of an order).
 */
export interface NestedValue {
  /** How reports name it: `address.zip`, `lines[].sku`. */
  readonly path: string;
  readonly steps: readonly NestedStep[];
  readonly type: ColumnType;
}

/** A rule that measures the file as a whole: no row fails it on its own. */
export interface TableRule extends RuleBase {
  readonly scope: 'table';
  readonly test: TableTest;
}

export type RowTest =
  /** The value is null: `required`, `nullValues`. */
  | { readonly failsWhen: 'null' }
  /** The text does not parse as the column's type. */
  | { readonly failsWhen: 'unparsable' }
  /**
   * The value compares with any of the limits as given: `value < minimum` fails a minimum; a range
   * (a Great Expectations `between`) is one rule, so a row beyond either end fails it once.
   */
  | { readonly failsWhen: 'beyond'; readonly limits: readonly Limit[] }
  | { readonly failsWhen: 'lengthBeyond'; readonly comparison: Comparison; readonly bound: number }
  | { readonly failsWhen: 'notMatching'; readonly pattern: string }
  /** The text is no real date or timestamp in the format: not of its shape, or not parsed (99.99.2026). */
  | { readonly failsWhen: 'notDate'; readonly date: DateText }
  /** The list's item count, nulls included, compares with the bound as given: `minItems`, `maxItems`. */
  | { readonly failsWhen: 'itemCountBeyond'; readonly comparison: Comparison; readonly bound: number }
  /** A non-null item of the list appears in it more than once: `uniqueItems`. */
  | { readonly failsWhen: 'repeatedItems' }
  /** The number is not a whole multiple of the divisor. */
  | { readonly failsWhen: 'notMultipleOf'; readonly divisor: number }
  /** Not one of the valid values, or not matching the pattern, when either is given. */
  | {
      readonly failsWhen: 'invalid';
      readonly validValues?: readonly (string | number | boolean)[];
      readonly pattern?: string;
    }
  /** Null, or text that stands for a missing value. */
  | { readonly failsWhen: 'missing'; readonly missingValues: readonly string[] }
  /** The key (all columns non-null) appears on more than one row. */
  | { readonly failsWhen: 'duplicate' }
  /**
   * The row is one a sql rule's query selects (`QualityRule.rowsQuery`, placeholders as written): its
   * condition reads the typed rows by contract name, so the selected row numbers are a table made
   * beforehand, and the query runs as written, sandboxed like any sql rule's.
   */
  | { readonly failsWhen: 'selectedBySql'; readonly rowsQuery: string };

export type Comparison = '<' | '<=' | '>' | '>=';

/** A bound, and how a failing value compares with it. */
export interface Limit {
  readonly comparison: Comparison;
  readonly bound: number | string;
}

export type TableTest =
  | { readonly measures: 'rowCount' }
  /** Seconds between the ingest time and the column's newest value. */
  | { readonly measures: 'freshness'; readonly column: string }
  /**
   * Percent of the column's non-null values held by its rarest class. The classes are the declared
   * valid values when there are any (an absent class counts 0 %), else the values present.
   */
  | {
      readonly measures: 'classBalance';
      readonly column: string;
      readonly classes: readonly (string | number | boolean)[] | null;
    }
  /**
   * The number a query over the typed rows returns; its placeholders (lib/contracts/sql-placeholders.ts)
   * stand for those rows and for `column`, the one a property-level rule is attached to (else null).
   */
  | { readonly measures: 'sql'; readonly query: string; readonly column: string | null };

/** The column a report names for a rule (a nested field's path): null for table-level and multi-column rules. */
export function reportedColumn(rule: { readonly scope: Rule['scope']; readonly columns?: readonly string[]; readonly nested?: NestedValue }): string | null {
  if (rule.nested !== undefined) return rule.nested.path;
  return rule.scope === 'row' && rule.columns?.length === 1 ? rule.columns[0]! : null;
}
