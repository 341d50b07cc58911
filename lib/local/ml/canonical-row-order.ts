/**
 * One order for a set of rows, whatever order they arrived in. A training job reads its channels
 * as the UNLOAD wrote them, and Athena and DuckDB write the same rows in a different order from
 * one run to the next; the forest's bootstrap samples follow row order, so without this the same
 * training set would give a different model and metrics on each run.
 */
import type { Row } from './feature-encoding.ts';

/** A value's text, typed so that `1` (number), `1n` (bigint) and `'1'` (string) never compare equal. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `date:${value.toISOString()}`;
  return `${typeof value}:${String(value)}`;
}

/** `rows` sorted by the texts of `columns`' values, column by column; ties (identical rows) keep no meaning. */
export function canonicalRowOrder(rows: readonly Row[], columns: readonly string[]): Row[] {
  const keyed = rows.map((row) => ({ row, texts: columns.map((column) => valueText(row[column])) }));
  keyed.sort((a, b) => {
    for (let index = 0; index < columns.length; index += 1) {
      const left = a.texts[index]!;
      const right = b.texts[index]!;
      if (left !== right) return left < right ? -1 : 1;
    }
    return 0;
  });
  return keyed.map(({ row }) => row);
}
