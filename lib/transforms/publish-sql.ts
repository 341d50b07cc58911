import { quoteIdentifier } from '../sql/ansi.ts';

/**
 * The statements that publish a staged model into its owned table. Each is ONE statement, so one
 * Iceberg commit: Athena has no multi-statement transaction, and a publication split over two
 * statements leaves readers the state between them, or for good if the second fails.
 */

/** One MERGE on the unique key: the new rows of an incremental model replace or join the published ones. */
export function mergeSql(target: string, staging: string, columns: readonly string[], uniqueKey: readonly string[]): string {
  const on = uniqueKey.map((key) => `t.${quoteIdentifier(key)} = s.${quoteIdentifier(key)}`).join(' AND ');
  const updated = columns.filter((column) => !uniqueKey.includes(column));
  const list = columns.map(quoteIdentifier).join(', ');
  return [
    `MERGE INTO ${target} AS t USING ${staging} AS s ON ${on}`,
    ...(updated.length === 0 ? [] : [`WHEN MATCHED THEN UPDATE SET ${updated.map((c) => `${quoteIdentifier(c)} = s.${quoteIdentifier(c)}`).join(', ')}`]),
    `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `s.${quoteIdentifier(c)}`).join(', ')})`,
  ].join('\n');
}

/**
 * Replaces every row of `target` by the rows of `staging` in one MERGE: Athena has neither an
 * atomic table swap nor `INSERT OVERWRITE` for Iceberg. The source is the staged rows, whose
 * marker column is NULL so they never match and are inserted as they are (duplicates included),
 * plus two marker rows, `true` and `false`, that only delete: every published row matches exactly
 * one of them through `(t.<first column> IS NULL) = marker`, as MERGE requires (Athena fails when
 * a target row matches several source rows). The condition is an equality between an expression
 * of the target and one of the source, so both engines run it as a hash join; an `ON` clause
 * naming only the source would be a cross join of the table with every staged row.
 */
export function replaceSql(target: string, staging: string, columns: readonly string[]): string {
  if (columns.length === 0) throw new Error(`cannot publish into ${target}: the model has no column`);
  const marker = quoteIdentifier(markerColumn(columns));
  const list = columns.map(quoteIdentifier).join(', ');
  const nulls = columns.map(() => 'NULL').join(', ');
  return [
    `MERGE INTO ${target} AS t USING (`,
    `SELECT ${list}, CAST(NULL AS BOOLEAN) AS ${marker} FROM ${staging}`,
    `UNION ALL SELECT ${nulls}, true`,
    `UNION ALL SELECT ${nulls}, false`,
    `) AS s ON (t.${quoteIdentifier(columns[0]!)} IS NULL) = s.${marker}`,
    'WHEN MATCHED THEN DELETE',
    `WHEN NOT MATCHED AND s.${marker} IS NULL THEN INSERT (${list}) VALUES (${columns.map((c) => `s.${quoteIdentifier(c)}`).join(', ')})`,
  ].join('\n');
}

/** A name for the marker column that no column of the model takes (names compare ignoring case, as in Glue). */
function markerColumn(columns: readonly string[]): string {
  const taken = new Set(columns.map((column) => column.toLowerCase()));
  let name = '__replaces';
  while (taken.has(name)) name = `_${name}`;
  return name;
}
