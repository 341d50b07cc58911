import type { CompiledColumn, CompiledRowRule, CompiledValidation } from './compile.ts';
import type { JsonValue, RuleSample } from './report.ts';

export const sampleLimit = 5;

/** What a report shows instead of a sensitive column's value. */
export const maskedValue = '***';

function ruleColumns(compiled: CompiledValidation, rule: CompiledRowRule): CompiledColumn[] {
  return rule.rule.columns.map((name) => {
    const column = compiled.columns.find((candidate) => candidate.column.name === name);
    if (column === undefined) throw new Error(`rule ${rule.rule.id} names unknown column '${name}'`);
    return column;
  });
}

/**
 * One scan for the samples of several rules: one row, whose column `i` holds rule `i`'s first
 * failing rows in file order (at most `sampleLimit`), each a record of `_row` then the rule's
 * columns as delivered; NULL when no row fails it.
 */
export function samplesQuery(compiled: CompiledValidation, rules: readonly CompiledRowRule[]): string {
  const samples = rules.map((rule, index) => {
    const values = ['_row', ...ruleColumns(compiled, rule).map((column) => column.raw)];
    return `  ${compiled.dialect.firstRecords(values, '_row', sampleLimit, rule.failing)} AS ${compiled.dialect.identifier(`samples_${index}`)}`;
  });
  return [compiled.withChecked(rules), 'SELECT', samples.join(',\n'), 'FROM checked'].join('\n');
}

/** The sampled rows of one rule from its column of the samples query, as `[row, ...values]`. */
export function sampledRows(records: JsonValue): [number, ...JsonValue[]][] {
  if (records === null) return [];
  if (!Array.isArray(records)) throw new Error(`expected a list of sampled rows, got ${JSON.stringify(records)}`);
  return records.map((record: JsonValue) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new Error(`expected a sampled row as a record, got ${JSON.stringify(record)}`);
    }
    const [row, ...values] = Object.values(record);
    if (typeof row !== 'number') throw new Error(`expected a row number first in a sampled row, got ${JSON.stringify(record)}`);
    return [row, ...values];
  });
}

function shown(column: CompiledColumn, value: JsonValue): JsonValue {
  return column.column.sensitive && value !== null ? maskedValue : value;
}

/**
 * Report samples from a rule's sampled rows (`[row, ...values]`): one value for a one-column
 * rule, an object by column for a key of several; sensitive values masked, nulls kept (a missing
 * value reveals nothing and is the point of a `required` sample).
 */
export function toSamples(
  compiled: CompiledValidation,
  rule: CompiledRowRule,
  rows: readonly (readonly [number, ...JsonValue[]])[],
): RuleSample[] {
  const columns = ruleColumns(compiled, rule);
  return rows.map(([row, ...values]) => {
    const masked = columns.map((column, index) => shown(column, values[index] ?? null));
    return {
      row,
      value:
        columns.length === 1
          ? masked[0]!
          : Object.fromEntries(columns.map((column, index) => [column.column.name, masked[index]!])),
    };
  });
}
