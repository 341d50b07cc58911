import type { ColumnType } from '../contracts/model.ts';
import type { Dialect } from './dialect.ts';

/**
 * A contract value (a bound, a valid value) as a SQL value of the column's type, so comparisons
 * are between typed values: `10` is not less than `9` the way the text `'10'` is less than `'9'`.
 * Text for a date, timestamp or number column goes through the column's own parser.
 */
export function valueLiteral(dialect: Dialect, value: string | number | boolean, type: ColumnType): string {
  if (type.kind === 'string') return dialect.string(String(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a SQL number`);
    return String(value);
  }
  return dialect.parse(dialect.string(value), type);
}
