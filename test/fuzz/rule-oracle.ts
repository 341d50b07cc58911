/**
 * A plain in-memory evaluation of contract rules, written from DESIGN.md "Validation semantics"
 * and nothing else, to compare DuckDB's results with: percent thresholds count against non-null
 * values unless the rule is about nulls or completeness; nulls are not duplicates; a uniqueness
 * rule counts every row whose key appears more than once; a value that does not parse is a type
 * failure and other rules on its column ignore it; patterns match the whole value.
 */

import type { Operator } from '../../lib/contracts/model.ts';

export type OracleType = 'string' | 'integer' | 'boolean';

export interface OracleThreshold {
  readonly operator: Operator;
  readonly value: number | readonly [number, number];
  readonly unit: 'rows' | 'percent';
}

export interface OracleColumn {
  readonly name: string;
  readonly type: OracleType;
  readonly required: boolean;
  readonly unique: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

export type OracleQuality = {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly threshold: OracleThreshold;
} & (
  | { readonly metric: 'nullValues'; readonly column: string }
  | { readonly metric: 'missingValues'; readonly column: string; readonly missingValues?: readonly string[] }
  | { readonly metric: 'invalidValues'; readonly column: string; readonly validValues?: readonly (string | number | boolean)[]; readonly pattern?: string }
  | { readonly metric: 'duplicateValues'; readonly columns: readonly string[] }
  | { readonly metric: 'rowCount' }
);

export interface OracleContract {
  readonly columns: readonly OracleColumn[];
  readonly quality: readonly OracleQuality[];
  readonly onViolation: 'quarantine-file' | 'quarantine-rows';
}

export interface OracleRuleResult {
  readonly failedCount: number;
  readonly passed: boolean;
}

export interface OracleOutcome {
  /** By the id the report gives the rule. */
  readonly rules: Readonly<Record<string, OracleRuleResult>>;
  readonly passed: boolean;
  readonly rowsPassed: number;
  readonly rowsQuarantined: number;
}

/** What `missingValues` counts besides null when the rule lists nothing (the loader's default; DESIGN.md does not say). */
const DEFAULT_MISSING = ['', 'N/A', 'n/a', 'null', 'NULL'];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer is an optional sign and digits, blanks around allowed, within 64 bits; nothing is rounded. */
function parseInteger(text: string): bigint | null {
  const match = /^[\t\n\f\r ]*([+-]?[0-9]+)[\t\n\f\r ]*$/.exec(text);
  if (match === null) return null;
  const value = BigInt(match[1]!);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** The spellings both engines agree on, any case, blanks around allowed. */
function parseBoolean(text: string): boolean | null {
  const word = text.replace(/^ +| +$/g, '').toLowerCase();
  return ['true', 't', '1'].includes(word) ? true : ['false', 'f', '0'].includes(word) ? false : null;
}

type Typed = string | bigint | boolean | null;

function typedValue(column: OracleColumn, raw: string | null): Typed {
  if (raw === null) return null;
  switch (column.type) {
    case 'string':
      return raw;
    case 'integer':
      return parseInteger(raw);
    case 'boolean':
      return parseBoolean(raw);
  }
}

const fullMatch = (pattern: string, text: string) => new RegExp(`^(?:${pattern})$`, 'u').test(text);
const characters = (text: string) => [...text].length;

function meets(observed: number, { operator, value }: OracleThreshold): boolean {
  const [low, high] = typeof value === 'number' ? [value, value] : value;
  switch (operator) {
    case 'mustBe':
      return observed === value;
    case 'mustNotBe':
      return observed !== value;
    case 'mustBeGreaterThan':
      return observed > low;
    case 'mustBeGreaterOrEqualTo':
      return observed >= low;
    case 'mustBeLessThan':
      return observed < low;
    case 'mustBeLessOrEqualTo':
      return observed <= low;
    case 'mustBeBetween':
      return observed >= low && observed <= high;
    case 'mustNotBeBetween':
      return observed < low || observed > high;
  }
}

/** One rule over the rows: which rows fail it, what the percent is out of, and its threshold. */
interface RowCheck {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly fails: readonly boolean[];
  readonly denominator: number;
  readonly threshold: OracleThreshold | null;
}

/** Rows whose key (every column non-null) appears on more than one row. */
function repeatedKeyRows(keys: readonly (readonly Typed[])[]): boolean[] {
  const text = keys.map((key) => (key.some((value) => value === null) ? null : JSON.stringify(key.map(String))));
  const counts = new Map<string, number>();
  for (const key of text) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  return text.map((key) => key !== null && counts.get(key)! > 1);
}

export function evaluateOracle(contract: OracleContract, rows: readonly (readonly (string | null)[])[]): OracleOutcome {
  const index = new Map(contract.columns.map((column, position) => [column.name, position]));
  const raw = (name: string) => rows.map((row) => row[index.get(name)!] ?? null);
  const typed = (name: string) => {
    const column = contract.columns[index.get(name)!]!;
    return raw(name).map((value) => typedValue(column, value));
  };
  const nonNull = (values: readonly unknown[]) => values.filter((value) => value !== null).length;

  const checks: RowCheck[] = [];
  const check = (id: string, fails: boolean[], denominator: number, threshold: OracleThreshold | null = null, severity: 'error' | 'warning' = 'error') =>
    checks.push({ id, severity, fails, denominator, threshold });

  for (const column of contract.columns) {
    const rawValues = raw(column.name);
    const values = typed(column.name);
    /** A failing test applied only to values that parsed. */
    const whenValid = (test: (value: string | bigint | boolean, text: string) => boolean) =>
      values.map((value, row) => value !== null && test(value, rawValues[row]!));
    const id = (kind: string) => `${column.name}.${kind}`;
    if (column.required) check(id('required'), rawValues.map((value) => value === null), rows.length);
    // The cases are JSON Lines, whose string columns are type-checked too (an object is no string).
    check(id('type'), rawValues.map((value, row) => value !== null && values[row] === null), nonNull(rawValues));
    if (column.unique) check(id('unique'), repeatedKeyRows(values.map((value) => [value])), nonNull(values));
    const bounds = [
      ['minimum', column.minimum, (value: bigint, bound: bigint) => value < bound],
      ['maximum', column.maximum, (value: bigint, bound: bigint) => value > bound],
      ['exclusiveMinimum', column.exclusiveMinimum, (value: bigint, bound: bigint) => value <= bound],
      ['exclusiveMaximum', column.exclusiveMaximum, (value: bigint, bound: bigint) => value >= bound],
    ] as const;
    for (const [kind, bound, beyond] of bounds) {
      if (bound !== undefined) check(id(kind), whenValid((value) => beyond(value as bigint, BigInt(bound))), nonNull(values));
    }
    if (column.pattern !== undefined) check(id('pattern'), whenValid((_, text) => !fullMatch(column.pattern!, text)), nonNull(values));
    if (column.minLength !== undefined) check(id('minLength'), whenValid((_, text) => characters(text) < column.minLength!), nonNull(values));
    if (column.maxLength !== undefined) check(id('maxLength'), whenValid((_, text) => characters(text) > column.maxLength!), nonNull(values));
  }

  let rowCountRule: { id: string; severity: 'error' | 'warning'; threshold: OracleThreshold } | undefined;
  for (const rule of contract.quality) {
    const add = (fails: boolean[], denominator: number) => check(rule.id, fails, denominator, rule.threshold, rule.severity);
    switch (rule.metric) {
      case 'rowCount':
        rowCountRule = rule;
        break;
      case 'nullValues':
        add(raw(rule.column).map((value) => value === null), rows.length);
        break;
      case 'missingValues': {
        const missing = rule.missingValues ?? DEFAULT_MISSING;
        add(raw(rule.column).map((value) => value === null || missing.includes(value)), rows.length);
        break;
      }
      case 'invalidValues': {
        const values = typed(rule.column);
        const texts = raw(rule.column);
        const valid = rule.validValues?.map((value) => (typeof value === 'number' ? BigInt(value) : value));
        add(
          values.map(
            (value, row) =>
              value !== null &&
              ((valid !== undefined && !valid.includes(value)) || (rule.pattern !== undefined && !fullMatch(rule.pattern, texts[row]!))),
          ),
          nonNull(values),
        );
        break;
      }
      case 'duplicateValues': {
        const keys = rows.map((_, row) => rule.columns.map((name) => typed(name)[row]!));
        add(repeatedKeyRows(keys), keys.filter((key) => key.every((value) => value !== null)).length);
        break;
      }
    }
  }

  const results: Record<string, OracleRuleResult> = {};
  const failedErrorRows: (readonly boolean[])[] = [];
  for (const { id, severity, fails, denominator, threshold } of checks) {
    const failedCount = fails.filter(Boolean).length;
    const percent = denominator > 0 ? (failedCount / denominator) * 100 : 0;
    const passed = threshold === null ? failedCount === 0 : meets(threshold.unit === 'percent' ? percent : failedCount, threshold);
    results[id] = { failedCount, passed };
    if (!passed && severity === 'error') failedErrorRows.push(fails);
  }
  let tableRuleFailed = false;
  if (rowCountRule !== undefined) {
    const passed = meets(rows.length, rowCountRule.threshold);
    results[rowCountRule.id] = { failedCount: 0, passed };
    tableRuleFailed = !passed && rowCountRule.severity === 'error';
  }

  const passed = !tableRuleFailed && failedErrorRows.length === 0;
  const wholeFile = !passed && (contract.onViolation === 'quarantine-file' || tableRuleFailed);
  const rowsQuarantined = wholeFile ? rows.length : rows.filter((_, row) => failedErrorRows.some((fails) => fails[row])).length;
  return { rules: results, passed, rowsPassed: rows.length - rowsQuarantined, rowsQuarantined };
}
