import { quoteIdentifier, quoteString } from '../sql/ansi.ts';
import type { ModelTest, TransformModel } from './model.ts';
import { relation, renderTemplate, type RenderOptions } from './render.ts';

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? quoteString(value) : String(value);
}

/**
 * The rows that fail `test` in `tested` (a staging table, or the new rows of an incremental
 * model): dbt's convention, so a test passes exactly when this returns no rows, and its rows are
 * the samples a failure shows. Nulls fail only `not_null`, as in dbt.
 */
export function failingRowsSql(model: TransformModel, test: ModelTest, tested: string, options: RenderOptions): string {
  const column = test.column === null ? '' : quoteIdentifier(test.column);
  switch (test.kind) {
    case 'not_null':
      return `SELECT * FROM ${tested} WHERE ${column} IS NULL`;
    case 'unique':
      return `SELECT ${column}, count(*) AS occurrences FROM ${tested} WHERE ${column} IS NOT NULL GROUP BY ${column} HAVING count(*) > 1`;
    case 'accepted_values':
      return `SELECT * FROM ${tested} WHERE ${column} IS NOT NULL AND ${column} NOT IN (${test.values!.map(literal).join(', ')})`;
    case 'relationships': {
      const parent = model.resolved.get(test.to!.name)!;
      const parentRelation = relation(options.placement.database(parent.domain), parent.table);
      return (
        `SELECT * FROM ${tested} AS child WHERE child.${column} IS NOT NULL AND NOT EXISTS ` +
        `(SELECT 1 FROM ${parentRelation} AS parent WHERE parent.${quoteIdentifier(test.field!)} = child.${column})`
      );
    }
    case 'sql':
      return renderTemplate(model, test.sql!, test.position, { ...options, self: tested });
  }
}

/** One row, one column `failures`: what a state machine's Choice reads from `getQueryResults`. */
export function failureCountSql(failingRows: string): string {
  return `SELECT count(*) AS failures FROM (\n${failingRows}\n) AS failing`;
}
