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

/** The first failing rows of a rule, in file order: `_row` then the rule's columns as delivered. */
export function sampleQuery(compiled: CompiledValidation, rule: CompiledRowRule): string {
  const values = ruleColumns(compiled, rule).map((column) => column.raw);
  return [
    compiled.withChecked([rule]),
    `SELECT ${['_row', ...values].join(', ')}`,
    'FROM checked',
    `WHERE ${rule.failing}`,
    'ORDER BY _row',
    `LIMIT ${sampleLimit}`,
  ].join('\n');
}

function shown(column: CompiledColumn, value: JsonValue): JsonValue {
  return column.column.sensitive && value !== null ? maskedValue : value;
}

/**
 * Report samples from the sample query's rows (`[row, ...values]`): one value for a one-column
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
