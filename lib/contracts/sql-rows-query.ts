import { countWhere } from '../sql/count-where.ts';
import { KNOWN_PLACEHOLDERS, placeholdersAsIdentifiers, placeholdersIn } from './sql-placeholders.ts';

/** The dataset's placeholders (`{object}`, `${model}`) as `placeholdersAsIdentifiers` writes them. */
const DATASET_TABLES = KNOWN_PLACEHOLDERS.filter((written) => placeholdersIn(written)[0]?.meaning === 'object').map(placeholdersAsIdentifiers);

/**
 * The rows a `type: sql` rule counts, when its query is `SELECT COUNT(*) FROM {object} WHERE
 * <condition>` (see `countWhere`): the same query selecting `_row` (the row number) instead of
 * counting, with its placeholders as written and without a trailing `;`. It returns exactly the
 * rows the count counts (a condition that is NULL selects none, as it counts none), so the rule
 * can judge rows one by one. Undefined for any other query, which stays a table-level measurement.
 */
export function sqlRowsQuery(query: string): string | undefined {
  // Placeholders as identifiers of the same length: offsets in the parsed text are offsets in the query.
  const found = countWhere(placeholdersAsIdentifiers(query));
  if (found === undefined || !DATASET_TABLES.includes(found.table)) return undefined;
  const codePoints = [...query];
  return [...codePoints.slice(0, found.countStart), '_row', ...codePoints.slice(found.countEnd, found.queryEnd)].join('');
}

/** A sql rule's query, and its rows query when it has one: the fields of its `QualityRule`. */
export function sqlRuleQueries(query: string): { readonly query: string; readonly rowsQuery?: string } {
  const rowsQuery = sqlRowsQuery(query);
  return { query, ...(rowsQuery !== undefined && { rowsQuery }) };
}
