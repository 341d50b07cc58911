import { DEFAULT_MISSING_VALUES } from '../contracts/missing-values.ts';
import { impliedFreshnessColumn } from '../contracts/freshness-column.ts';
import { columnFormat, formatCheck } from '../contracts/value-formats.ts';
import type { Column, Dataset, NestedField, QualityRule, SourcePosition } from '../contracts/model.ts';
import type { ReportThreshold, RuleKind } from './report.ts';
import type { NotEvaluatedRule } from './not-evaluated.ts';
import type { Comparison, NestedValue, Rule, RowTest } from './rule.ts';
import { reportedColumn } from './rule.ts';
import { baseRuleId, suffixRepeatedIds } from './rule-ids.ts';

type Unnamed<T> = T extends unknown ? Omit<T, 'id'> : never;
type UnnamedRule = Unnamed<Rule>;

/** A rule before ids are given, with the id the contract declares for it, if any. */
interface Draft {
  readonly rule: UnnamedRule;
  readonly declaredId?: string;
}

const boundRules: readonly { kind: RuleKind; option: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum'; failsWhen: Comparison }[] = [
  { kind: 'minimum', option: 'minimum', failsWhen: '<' },
  { kind: 'maximum', option: 'maximum', failsWhen: '>' },
  { kind: 'exclusiveMinimum', option: 'exclusiveMinimum', failsWhen: '<=' },
  { kind: 'exclusiveMaximum', option: 'exclusiveMaximum', failsWhen: '>=' },
];

function constraintRule(kind: RuleKind, columns: readonly string[], test: RowTest, nested?: NestedValue): Draft {
  return { rule: { scope: 'row', kind, columns, ...(nested === undefined ? {} : { nested }), severity: 'error', threshold: null, test } };
}

function nestedValue({ path, steps, type }: NestedField): NestedValue {
  return { path, steps, type };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((column) => b.includes(column));
}

/**
 * A contract that expects repeated keys in a file says so with a warning `duplicateValues` rule
 * on exactly the key; the load then keeps the last row per key instead of refusing the file.
 */
function expectsRepeatedKeys(dataset: Dataset): boolean {
  return dataset.quality.some(
    (rule) =>
      rule.metric === 'duplicateValues' &&
      rule.severity === 'warning' &&
      sameColumns(rule.columns ?? (rule.column === null ? [] : [rule.column]), dataset.primaryKey),
  );
}

function columnRules(column: Column, dataset: Dataset, keyIsUnique: boolean): Draft[] {
  const rules: Draft[] = [];
  const inKey = dataset.primaryKey.includes(column.name);
  const singleColumnKey = inKey && dataset.primaryKey.length === 1;
  if (column.required || inKey) rules.push(constraintRule('required', [column.name], { failsWhen: 'null' }));
  // JSON and Parquet values carry their own type: an object, array, list, struct or map is no string either.
  if (column.type.kind !== 'string' || dataset.format !== 'csv') {
    rules.push(constraintRule('type', [column.name], { failsWhen: 'unparsable' }));
  }
  // A single-column key's uniqueness is the key's; a column of a composite key is unique on its
  // own only when the contract says so.
  const unique = singleColumnKey ? keyIsUnique : column.unique;
  if (unique) rules.push(constraintRule('unique', [column.name], { failsWhen: 'duplicate' }));
  rules.push(...valueRules(column, (kind, test) => constraintRule(kind, [column.name], test)));
  return rules;
}

/** The rules a nested field's `logicalTypeOptions` give, judged on its value inside the column. */
function nestedFieldRules(field: NestedField): Draft[] {
  return valueRules(field, (kind, test) => constraintRule(kind, [field.column], test, nestedValue(field)));
}

/** The rules a column's or nested field's constraints give: bounds, length, pattern, format, multipleOf, an array's items. */
function valueRules(
  column: Pick<Column, 'type' | 'constraints' | 'physicalType' | 'physicalLength'>,
  rule: (kind: RuleKind, test: RowTest) => Draft,
): Draft[] {
  const rules: Draft[] = [];
  const { constraints } = column;
  for (const { kind, option, failsWhen } of boundRules) {
    const bound = constraints[option];
    if (bound !== undefined) rules.push(rule(kind, { failsWhen: 'beyond', limits: [{ comparison: failsWhen, bound }] }));
  }
  if (constraints.pattern !== undefined) {
    rules.push(rule('pattern', { failsWhen: 'notMatching', pattern: constraints.pattern }));
  }
  if (constraints.minLength !== undefined) {
    rules.push(rule('minLength', { failsWhen: 'lengthBeyond', comparison: '<', bound: constraints.minLength }));
  }
  // A sized physical type (varchar(20)) limits the length as maxLength does, unless maxLength is given.
  const maxLength = constraints.maxLength ?? column.physicalLength;
  if (maxLength !== undefined) {
    rules.push(rule('maxLength', { failsWhen: 'lengthBeyond', comparison: '>', bound: maxLength }));
  }
  const declaredFormat = columnFormat(column);
  const format = declaredFormat === undefined ? undefined : formatCheck(declaredFormat, column.type);
  if (format?.check === 'pattern') {
    rules.push(rule('format', { failsWhen: 'notMatching', pattern: format.pattern }));
  }
  if (format?.check === 'range') {
    const limits = [
      ...(format.minimum === undefined ? [] : [{ comparison: '<', bound: format.minimum } as const]),
      ...(format.maximum === undefined ? [] : [{ comparison: '>', bound: format.maximum } as const]),
    ];
    rules.push(rule('format', { failsWhen: 'beyond', limits }));
  }
  if (format?.check === 'dateText') rules.push(rule('format', { failsWhen: 'notDate', date: format.date }));
  if (constraints.multipleOf !== undefined) {
    rules.push(rule('multipleOf', { failsWhen: 'notMultipleOf', divisor: constraints.multipleOf }));
  }
  if (constraints.minItems !== undefined) {
    rules.push(rule('minItems', { failsWhen: 'itemCountBeyond', comparison: '<', bound: constraints.minItems }));
  }
  if (constraints.maxItems !== undefined) {
    rules.push(rule('maxItems', { failsWhen: 'itemCountBeyond', comparison: '>', bound: constraints.maxItems }));
  }
  if (constraints.uniqueItems === true) rules.push(rule('uniqueItems', { failsWhen: 'repeatedItems' }));
  return rules;
}

function where({ position }: { readonly position: SourcePosition }): string {
  return `${position.file}:${position.line}:${position.column}`;
}

function ruleColumns(rule: QualityRule): readonly string[] {
  const columns = rule.columns ?? (rule.column === null ? [] : [rule.column]);
  if (columns.length === 0) {
    throw new Error(`${where(rule)}: ${rule.metric} rule needs a column`);
  }
  return columns;
}

function qualityRowTest(rule: QualityRule): RowTest {
  switch (rule.metric) {
    case 'nullValues':
      return { failsWhen: 'null' };
    case 'missingValues':
      return { failsWhen: 'missing', missingValues: rule.missingValues ?? DEFAULT_MISSING_VALUES };
    case 'invalidValues':
      return {
        failsWhen: 'invalid',
        ...(rule.validValues !== undefined && { validValues: rule.validValues }),
        ...(rule.pattern !== undefined && { pattern: rule.pattern }),
      };
    case 'duplicateValues':
      return { failsWhen: 'duplicate' };
    case 'between': {
      const { bounds } = rule;
      if (bounds === undefined) throw new Error(`${where(rule)}: between rule needs bounds`);
      const limits = boundRules.flatMap(({ option, failsWhen }) => (bounds[option] === undefined ? [] : [{ comparison: failsWhen, bound: bounds[option]! }]));
      return { failsWhen: 'beyond', limits };
    }
    case 'rowCount':
    case 'sql':
      throw new Error(`${rule.metric} is a table-level metric`);
  }
}

function qualityRule(rule: QualityRule, dataset: Dataset): UnnamedRule {
  const common = { kind: rule.metric, severity: rule.severity, threshold: rule.threshold };
  if (rule.metric === 'rowCount') return { ...common, scope: 'table', test: { measures: 'rowCount' } };
  if (rule.metric === 'sql') {
    if (rule.query === undefined) throw new Error(`${where(rule)}: sql rule needs a query`);
    if (rule.rowsQuery !== undefined) {
      // Counting the rows where a condition holds, it judges rows: the rows it counts fail it.
      const columns = rule.column === null ? [] : [rule.column];
      return { ...common, scope: 'row', columns, test: { failsWhen: 'selectedBySql', rowsQuery: rule.rowsQuery } };
    }
    return { ...common, scope: 'table', test: { measures: 'sql', query: rule.query, column: rule.column } };
  }
  const nested = dataset.nestedFields.find((field) => field.path === rule.column);
  if (nested !== undefined) {
    return { ...common, scope: 'row', columns: [nested.column], nested: nestedValue(nested), test: qualityRowTest(rule) };
  }
  return { ...common, scope: 'row', columns: ruleColumns(rule), test: qualityRowTest(rule) };
}

function qualityDraft(rule: QualityRule, dataset: Dataset): Draft {
  return { rule: qualityRule(rule, dataset), ...(rule.id !== undefined && { declaredId: rule.id }) };
}

/**
 * The column freshness is measured on: the one the SLA's element names, else the one implied by
 * the dataset's columns. A contract where none is implied was refused at check (check-sla.ts).
 */
function freshnessColumn(dataset: Dataset, freshness: NonNullable<Dataset['freshness']>): string {
  if (freshness.column !== null) return freshness.column;
  const implied = impliedFreshnessColumn(dataset.columns.map((column) => ({ name: column.name, kind: column.type.kind })));
  if ('column' in implied) return implied.column;
  throw new Error(`${where(freshness)}: freshness of ${dataset.names.ref} names no column and none is implied`);
}

function freshnessRule(dataset: Dataset): Draft[] {
  const { freshness } = dataset;
  if (freshness === undefined) return [];
  const threshold: ReportThreshold = { operator: 'mustBeLessOrEqualTo', value: freshness.maxAge, unit: 'seconds' };
  const test = { measures: 'freshness', column: freshnessColumn(dataset, freshness) } as const;
  return [{ rule: { scope: 'table', kind: 'freshness', severity: 'error', threshold, test } }];
}

function classBalanceRule(dataset: Dataset): Draft[] {
  const { classBalance } = dataset;
  if (classBalance === undefined) return [];
  const declared = dataset.quality.find(
    (rule) => rule.metric === 'invalidValues' && rule.column === classBalance.column && rule.validValues !== undefined,
  );
  const threshold: ReportThreshold = { operator: 'mustBeGreaterOrEqualTo', value: classBalance.minPercent, unit: 'percent' };
  const test = { measures: 'classBalance', column: classBalance.column, classes: declared?.validValues ?? null } as const;
  return [{ rule: { scope: 'table', kind: 'classBalance', severity: classBalance.severity, threshold, test } }];
}

/**
 * Every rule a file of the dataset is checked against, in report order: the primary key, each
 * column's constraints, each nested field's, the contract's quality rules, then freshness and
 * class balance.
 *
 * A primary key implies `required` and `unique` at error severity (one `unique` over all columns
 * of a composite key), unless the contract expects repeated keys (see `expectsRepeatedKeys`).
 */
export function deriveRules(dataset: Dataset): Rule[] {
  return derive(dataset).rules;
}

/**
 * The contract's entries nothing enforces (`Dataset.notEnforced`), as the rules every report
 * lists with status `notEvaluated`; their ids are given with `deriveRules`' ids, so none repeats.
 */
export function notEvaluatedRules(dataset: Dataset): NotEvaluatedRule[] {
  return derive(dataset).notEvaluated;
}

function derive(dataset: Dataset): { readonly rules: Rule[]; readonly notEvaluated: NotEvaluatedRule[] } {
  const keyIsUnique = dataset.primaryKey.length > 0 && !expectsRepeatedKeys(dataset);
  const drafts: Draft[] = [
    ...(keyIsUnique && dataset.primaryKey.length > 1
      ? [constraintRule('unique', dataset.primaryKey, { failsWhen: 'duplicate' })]
      : []),
    ...dataset.columns.flatMap((column) => columnRules(column, dataset, keyIsUnique)),
    ...dataset.nestedFields.flatMap(nestedFieldRules),
    ...dataset.quality.map((rule) => qualityDraft(rule, dataset)),
    ...freshnessRule(dataset),
    ...classBalanceRule(dataset),
  ];
  const ids = suffixRepeatedIds([
    ...drafts.map(({ rule, declaredId }) => baseRuleId(declaredId, rule.kind, reportedColumn(rule))),
    ...dataset.notEnforced.map((entry) => baseRuleId(entry.id, entry.kind, entry.column)),
  ]);
  return {
    rules: drafts.map(({ rule }, index) => ({ ...rule, id: ids[index]! })),
    notEvaluated: dataset.notEnforced.map(({ kind, column, reason }, index) => ({ id: ids[drafts.length + index]!, kind, column, reason })),
  };
}
