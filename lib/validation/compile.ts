import type { Column, ColumnType, Dataset, NestedStep } from '../contracts/model.ts';
import { parsedDatePattern } from '../contracts/value-formats.ts';
import type { Dialect } from '../sql/dialect.ts';
import { valueLiteral } from '../sql/value-literal.ts';
import { deriveRules } from './derive-rules.ts';
import { notMultipleOf } from './multiple-of.ts';
import type { NestedValue, RowRule, RowTest, TableRule } from './rule.ts';

export interface CompileOptions {
  /**
   * The relation holding the file, as SQL (a quoted or qualified name): `_row` (1-based data row)
   * plus one column per contract column, named as in the contract.
   */
  readonly relation: string;
  /** Columns the relation holds in an engine type (Parquet) rather than as delivered text. */
  readonly nativeColumns?: readonly string[];
  /**
   * By contract column, a boolean SQL expression over the relation, true where the file delivered an
   * object or array for it: no scalar type holds one, so its value is a `type` failure.
   * @default no column can hold a structured value
   */
  readonly structuredValues?: ReadonlyMap<string, string>;
  /**
   * The table holding uniqueness key `index`'s repeated keys, made from `repeatedKeyQueries[index]`,
   * which queries then join instead of aggregating the file again.
   * @default none: each query aggregates the keys it needs itself
   */
  readonly repeatedKeyTable?: (index: number) => string;
  /**
   * The table of `_row`s that sql row rule `index` (`CompiledValidation.sqlRowRules[index]`)
   * selects, made before any query reads `checked`. Needed when the dataset has such a rule.
   * @default none: compiling a dataset with a sql row rule fails
   */
  readonly sqlRowsTable?: (index: number) => string;
}

/** A value a row test judges: as delivered, as its type, as text. */
interface TestedValue {
  readonly raw: string;
  readonly typed: string;
  readonly text: string;
  readonly type: ColumnType;
}

/** How a row query reaches one contract column in `checked`. */
export interface CompiledColumn {
  readonly column: Column;
  /** The value as delivered (text, or the Parquet value). */
  readonly raw: string;
  /** The value as the contract's type; NULL when absent or unparsable. */
  readonly typed: string;
}

export interface CompiledRowRule {
  readonly rule: RowRule;
  /** True for a row of `checked` the rule counts as failing; may be NULL, which counts as not failing. */
  readonly failing: string;
  /** Metric aliases in the metrics query's one row. */
  readonly failedMetric: string;
  readonly denominatorMetric: string;
  /** The repeated-key aggregate `failing` reads, for uniqueness rules. */
  readonly repeatedKey?: number;
}

export interface CompiledTableRule {
  readonly rule: TableRule;
  /**
   * Metric aliases: rowCount `[rows]`; freshness `[newest value in epoch seconds]`; classBalance
   * `[non-null values, count of each declared class...]` or `[non-null values, rarest value's count]`;
   * sql none (it runs as its own query).
   */
  readonly metrics: readonly string[];
}

export type CompiledRule = CompiledRowRule | CompiledTableRule;

export interface CompiledValidation {
  readonly dataset: Dataset;
  readonly dialect: Dialect;
  readonly columns: readonly CompiledColumn[];
  readonly rules: readonly CompiledRule[];
  /**
   * `WITH typed AS (...), ..., checked AS (...)`: the prefix of every row query, which then reads
   * `checked`, holding the given rules' inputs (a uniqueness rule needs its key counts joined).
   */
  readonly withChecked: (rules: readonly CompiledRowRule[]) => string;
  /** One aggregate over `typed` (its key aggregates read the file again); one row, one column per metric alias. */
  readonly metricsQuery: string;
  /**
   * By uniqueness key (`CompiledRowRule.repeatedKey`): the key's non-null values found on more
   * than one row, with their row count; nulls are not duplicates.
   */
  readonly repeatedKeyQueries: readonly string[];
  readonly rowCountMetric: string;
  /** The typed rows (`_row` plus every contract column, typed): what `{object}` means in SQL rules. */
  readonly typedSelect: string;
  /**
   * The sql rules judged by row with their rows queries (placeholders as written), in
   * `sqlRowsTable` order: each query's rows must be in its table before any query here runs.
   */
  readonly sqlRowRules: readonly { readonly rule: RowRule; readonly rowsQuery: string }[];
}

/** Collects metric expressions so an expression used by several rules is computed once. */
class Metrics {
  private readonly aliases = new Map<string, string>();

  add(expression: string): string {
    let alias = this.aliases.get(expression);
    if (alias === undefined) {
      alias = `m${this.aliases.size}`;
      this.aliases.set(expression, alias);
    }
    return alias;
  }

  selectList(): string {
    return [...this.aliases].map(([expression, alias]) => `  ${expression} AS ${alias}`).join(',\n');
  }
}

/**
 * Compiles a dataset's rules into SQL of one dialect. Every metric comes from one aggregate over
 * `typed`, the file's rows with each column parsed to its type once; the rows failing a
 * uniqueness rule are the summed row counts of its repeated keys, a grouped aggregate of the
 * file. Row queries read `checked`, which joins each row's key count back: a window would
 * partition every column of every row. The key aggregate reads the relation with its key typed
 * inline, not `typed`: DuckDB 1.5 stores a CTE that is read twice in full when the relation reads
 * a CSV file, NOT MATERIALIZED or not.
 */
export function compileValidation(dataset: Dataset, dialect: Dialect, options: CompileOptions): CompiledValidation {
  const native = new Set(options.nativeColumns ?? []);
  const structured = options.structuredValues ?? new Map<string, string>();
  const id = (name: string) => dialect.identifier(name);
  const literal = (value: string | number | boolean, type: ColumnType) => valueLiteral(dialect, value, type);

  const columns: CompiledColumn[] = dataset.columns.map((column, index) => {
    const raw = id(column.name);
    const needsConversion = native.has(column.name) || structured.has(column.name) || column.type.kind !== 'string';
    return { column, raw, typed: needsConversion ? id(`__typed_${index}`) : raw };
  });
  const byName = new Map(columns.map((compiled) => [compiled.column.name, compiled]));
  const find = (name: string): CompiledColumn => {
    const compiled = byName.get(name);
    if (compiled === undefined) throw new Error(`${dataset.names.ref} has no column '${name}'`);
    return compiled;
  };
  // Only delivered text is written in the contract's date pattern: a Parquet date is a date.
  const parseText = (column: Column, raw: string): string => {
    const pattern = parsedDatePattern(column);
    return pattern === undefined ? dialect.parse(raw, column.type) : dialect.parseDatePattern(raw, column.type, pattern);
  };
  const typedValue = ({ column, raw }: CompiledColumn): string => {
    const value = native.has(column.name) ? dialect.convert(raw, column.type) : parseText(column, raw);
    const flag = structured.get(column.name);
    if (flag === undefined) return value;
    // An object or array column holds only a structured value, and any other column never does.
    return column.type.kind === 'struct' || column.type.kind === 'list'
      ? `CASE WHEN ${flag} THEN ${value} END`
      : `CASE WHEN ${flag} THEN NULL ELSE ${value} END`;
  };
  const text = ({ column, raw }: CompiledColumn): string => (native.has(column.name) ? dialect.text(raw) : raw);

  const repeatedKeys: (readonly CompiledColumn[])[] = [];
  const repeatedKeyIndex = (key: readonly CompiledColumn[]): number => {
    const found = repeatedKeys.findIndex((known) => known.length === key.length && known.every((column, i) => column === key[i]));
    return found >= 0 ? found : repeatedKeys.push(key) - 1;
  };
  const keyRows = (index: number) => id(`__key_rows_${index}`);
  const { repeatedKeyTable } = options;
  const repeatedKeysRelation = (index: number) => repeatedKeyTable?.(index) ?? `repeated_keys_${index}`;
  const sqlRowRules: { rule: RowRule; rowsQuery: string }[] = [];
  const sqlRowsTable = (rule: RowRule, rowsQuery: string): string => {
    if (options.sqlRowsTable === undefined) throw new Error(`${dataset.names.ref}: sql rule ${rule.id} judges rows and needs CompileOptions.sqlRowsTable`);
    return options.sqlRowsTable(sqlRowRules.push({ rule, rowsQuery }) - 1);
  };

  /** True where the value fails a test that judges one value; `text` is the value as text. */
  function valueFailing(test: RowTest, { raw, typed, text: value, type }: TestedValue): string {
    const whenValid = (predicate: string) => `${typed} IS NOT NULL AND (${predicate})`;
    switch (test.failsWhen) {
      case 'null':
        return `${raw} IS NULL`;
      case 'unparsable':
        return `${raw} IS NOT NULL AND ${typed} IS NULL`;
      case 'beyond':
        return whenValid(test.limits.map(({ comparison, bound }) => `${typed} ${comparison} ${literal(bound, type)}`).join(' OR '));
      case 'lengthBeyond':
        return whenValid(`${dialect.length(value)} ${test.comparison} ${test.bound}`);
      case 'notMatching':
        return whenValid(`NOT ${dialect.fullMatch(value, test.pattern)}`);
      case 'notDate': {
        const { shape, readAs, pattern } = test.date;
        const parsed =
          pattern === undefined ? dialect.parse(value, { kind: readAs }) : dialect.parseDatePattern(value, { kind: readAs }, pattern);
        return whenValid(`NOT ${dialect.fullMatch(value, shape)} OR ${parsed} IS NULL`);
      }
      case 'notMultipleOf':
        return whenValid(notMultipleOf(dialect, typed, type, test.divisor));
      case 'itemCountBeyond':
        return whenValid(`${dialect.itemCount(typed)} ${test.comparison} ${test.bound}`);
      case 'repeatedItems':
        return whenValid(dialect.hasRepeatedItems(typed));
      case 'invalid': {
        const reasons = [
          ...(test.validValues === undefined
            ? []
            : [`${typed} NOT IN (${test.validValues.map((valid) => literal(valid, type)).join(', ')})`]),
          ...(test.pattern === undefined ? [] : [`NOT ${dialect.fullMatch(value, test.pattern)}`]),
        ];
        return reasons.length === 0 ? 'false' : whenValid(reasons.join(' OR '));
      }
      case 'missing': {
        const missing = test.missingValues.map((missingValue) => dialect.string(missingValue));
        return missing.length === 0 ? `${raw} IS NULL` : `${raw} IS NULL OR ${value} IN (${missing.join(', ')})`;
      }
      case 'duplicate':
      case 'selectedBySql':
        throw new Error(`${test.failsWhen} judges rows together, not one value`);
    }
  }

  /**
   * True where the nested field fails the test in the column's typed value, in any item of a list
   * on the way; its value is already of its type there, so raw and typed are the same.
   */
  function nestedFailing(value: string, steps: readonly NestedStep[], nested: NestedValue, test: RowTest): string {
    const [step, ...rest] = steps;
    if (step === undefined) {
      const text = nested.type.kind === 'string' ? value : dialect.text(value);
      return valueFailing(test, { raw: value, typed: value, text, type: nested.type });
    }
    // A field of an absent struct is not judged: the struct's own presence is its column's rule.
    if (step.kind === 'field') return `(${value} IS NOT NULL AND ${nestedFailing(dialect.structField(value, step.name), rest, nested, test)})`;
    const item = `__item_${nested.steps.length - steps.length}`;
    return dialect.anyItem(value, item, nestedFailing(item, rest, nested, test));
  }

  function failing(rule: RowRule): { predicate: string; repeatedKey?: number } {
    const keys = rule.columns.map(find);
    const column = keys[0]!;
    const { test } = rule;
    switch (test.failsWhen) {
      case 'duplicate': {
        const repeatedKey = repeatedKeyIndex(keys);
        return { predicate: `${keyRows(repeatedKey)} > 1`, repeatedKey };
      }
      case 'selectedBySql':
        return { predicate: `_row IN (SELECT _row FROM ${sqlRowsTable(rule, test.rowsQuery)})` };
      default:
        return {
          predicate:
            rule.nested === undefined
              ? valueFailing(test, { raw: column.raw, typed: column.typed, text: text(column), type: column.column.type })
              : nestedFailing(column.typed, rule.nested.steps, rule.nested, test),
        };
    }
  }

  const metrics = new Metrics();
  const rowCountMetric = metrics.add('count(*)');

  function denominator(rule: RowRule): string {
    const keys = rule.columns.map(find);
    // A nested field's rule is judged on the rows that hold its column.
    if (rule.nested !== undefined) return metrics.add(`count(${keys[0]!.typed})`);
    switch (rule.test.failsWhen) {
      case 'null':
      case 'missing':
      case 'selectedBySql':
        return rowCountMetric;
      case 'unparsable':
        return metrics.add(`count(${keys[0]!.raw})`);
      default:
        return keys.length === 1
          ? metrics.add(`count(${keys[0]!.typed})`)
          : metrics.add(dialect.countIf(keys.map((key) => `${key.typed} IS NOT NULL`).join(' AND ')));
    }
  }

  function tableMetrics(rule: TableRule): string[] {
    const { test } = rule;
    switch (test.measures) {
      case 'rowCount':
        return [rowCountMetric];
      case 'freshness': {
        const column = find(test.column);
        const { kind } = column.column.type;
        if (kind !== 'timestamp' && kind !== 'date') {
          throw new Error(`${dataset.names.ref}: freshness column '${test.column}' is ${kind}, not a timestamp or date`);
        }
        return [metrics.add(dialect.epochSeconds(`max(${column.typed})`, column.column.type))];
      }
      case 'classBalance': {
        const column = find(test.column);
        const values = metrics.add(`count(${column.typed})`);
        if (test.classes === null) return [values, metrics.add(dialect.rarestValueCount(column.typed))];
        return [
          values,
          ...test.classes.map((value) => metrics.add(dialect.countIf(`${column.typed} = ${literal(value, column.column.type)}`))),
        ];
      }
      case 'sql':
        return [];
    }
  }

  const rules: CompiledRule[] = deriveRules(dataset).map((rule) => {
    if (rule.scope === 'table') return { rule, metrics: tableMetrics(rule) };
    const { predicate, repeatedKey } = failing(rule);
    // Counted from the repeated keys, the metrics need no key count joined to every row.
    const failedCount =
      repeatedKey === undefined
        ? dialect.countIf(predicate)
        : `(SELECT coalesce(sum(${keyRows(repeatedKey)}), 0) FROM ${repeatedKeysRelation(repeatedKey)})`;
    return {
      rule,
      failing: predicate,
      failedMetric: metrics.add(failedCount),
      denominatorMetric: denominator(rule),
      ...(repeatedKey !== undefined && { repeatedKey }),
    };
  });

  const typedColumns = columns.flatMap((compiled) =>
    compiled.typed === compiled.raw ? [] : [`${typedValue(compiled)} AS ${compiled.typed}`],
  );
  const typedCte = dialect.inlineCte('typed', `  SELECT ${['*', ...typedColumns].join(',\n    ')}\n  FROM ${options.relation}`);

  function repeatedKeyQuery(index: number): string {
    const key = repeatedKeys[index]!;
    const names = key.map((_, position) => id(`__key_${index}_${position}`));
    const values = key.map((column, position) => `${typedValue(column)} AS ${names[position]}`);
    return [
      `SELECT ${[...names, `count(*) AS ${keyRows(index)}`].join(', ')}`,
      `FROM (SELECT ${values.join(', ')} FROM ${options.relation}) AS file_keys`,
      `WHERE ${names.map((name) => `${name} IS NOT NULL`).join(' AND ')}`,
      `GROUP BY ${names.join(', ')}`,
      'HAVING count(*) > 1',
    ].join('\n');
  }
  const repeatedKeyQueries = repeatedKeys.map((_, index) => repeatedKeyQuery(index));

  function repeatedKeyCtes(keys: readonly number[]): string[] {
    if (repeatedKeyTable !== undefined) return [];
    return keys.map((index) => `repeated_keys_${index} AS (\n${repeatedKeyQueries[index]!.replaceAll(/^/gm, '  ')}\n)`);
  }

  function repeatedKeyJoin(index: number): string {
    const on = repeatedKeys[index]!.map(
      (column, position) => `typed.${column.typed} = repeated_keys_${index}.${id(`__key_${index}_${position}`)}`,
    );
    const joined = repeatedKeyTable === undefined ? `repeated_keys_${index}` : `${repeatedKeyTable(index)} AS repeated_keys_${index}`;
    return `  LEFT JOIN ${joined} ON ${on.join(' AND ')}`;
  }

  function withChecked(needing: readonly CompiledRowRule[]): string {
    const keys = [...new Set(needing.flatMap((rule) => (rule.repeatedKey === undefined ? [] : [rule.repeatedKey])))].sort((a, b) => a - b);
    return [
      `WITH ${[typedCte, ...repeatedKeyCtes(keys)].join(',\n')},`,
      'checked AS (',
      `  SELECT ${['typed.*', ...keys.map((index) => `repeated_keys_${index}.${keyRows(index)}`)].join(', ')}`,
      '  FROM typed',
      ...keys.map(repeatedKeyJoin),
      ')',
    ].join('\n');
  }

  return {
    dataset,
    dialect,
    columns,
    rules,
    withChecked,
    metricsQuery: [
      `WITH ${[typedCte, ...repeatedKeyCtes(repeatedKeys.map((_, index) => index))].join(',\n')}`,
      'SELECT',
      metrics.selectList(),
      'FROM typed',
    ].join('\n'),
    repeatedKeyQueries,
    rowCountMetric,
    typedSelect: [
      `SELECT ${['_row', ...columns.map((compiled) => `${typedValue(compiled)} AS ${compiled.raw}`)].join(',\n  ')}`,
      `FROM ${options.relation}`,
    ].join('\n'),
    sqlRowRules,
  };
}
