import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../contracts/model.ts';
import { findColumnMismatch } from './column-match.ts';
import { describeDuckDbError } from './duckdb-errors.ts';
import { parquetMagicProblem } from './parquet-magic.ts';
import { failed, schemaMismatch, unreadable, type OpenResult } from './read-failure.ts';
import { readEveryValue } from './read-every-value.ts';
import { quoteIdentifier, quoteLiteral } from './sql-text.ts';
import { structuredFlagName } from './structured-values.ts';

/** A DuckDB type name of a list (`T[]`), an array (`T[3]`), a struct, a map or a union. */
function isNested(type: string): boolean {
  return type.endsWith(']') || /^(STRUCT|MAP|UNION)\(/.test(type);
}

/**
 * Opens a Parquet file as `relationName(_row, <contract columns in their Parquet types>, <a
 * structured-value flag beside each nested one>)`.
 * Parquet columns are matched by their names in the file (`Column.nameInFile`), so their order in
 * the file does not matter, and exposed under their lakehouse names.
 */
export async function openParquetSource(
  connection: DuckDBConnection,
  dataset: Dataset,
  file: string,
  relationName: string,
): Promise<OpenResult> {
  const magicProblem = await parquetMagicProblem(file);
  if (magicProblem !== undefined) return failed(magicProblem);

  let described: { name: string; type: string }[];
  try {
    const rows = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`)).getRowObjectsJS();
    described = rows.map((row) => ({ name: String(row['column_name']), type: String(row['column_type']) }));
  } catch (error) {
    return failed(unreadable(`Parquet file cannot be read: ${describeDuckDbError(error).reason}`));
  }
  const mismatch = findColumnMismatch(
    described.map(({ name }) => ({ name })),
    dataset,
    { noun: 'column', ordered: false, optionalMayBeAbsent: false },
  );
  if (mismatch !== undefined) return failed(schemaMismatch(mismatch.message));

  const scan = `read_parquet(${quoteLiteral(file)}, file_row_number=true)`;
  const columns = dataset.columns.map((column) => quoteIdentifier(column.nameInFile));
  try {
    await readEveryValue(connection, scan, columns);
  } catch (error) {
    return failed(unreadable(`Parquet file cannot be read: ${describeDuckDbError(error).reason}`));
  }
  // Keyed by lower case, as DuckDB resolves a column name whatever its case.
  const types = new Map(described.map(({ name, type }) => [name.toLowerCase(), type]));
  // A nested value is its JSON text, flagged: it fails `type` in a scalar column rather than
  // passing as text or failing a cast of the whole file, and an object or array column reads the
  // text as JSON. Such a column's flag is false when the file's column is not nested, so any other
  // value fails its `type`.
  const values = dataset.columns.map(({ name, nameInFile, type }) => {
    const inFile = quoteIdentifier(nameInFile);
    const column = quoteIdentifier(name);
    const flag = quoteIdentifier(structuredFlagName(name));
    if (isNested(types.get(nameInFile.toLowerCase()) ?? '')) return `, to_json(${inFile})::VARCHAR AS ${column}, ${inFile} IS NOT NULL AS ${flag}`;
    return type.kind === 'struct' || type.kind === 'list' ? `, ${inFile} AS ${column}, false AS ${flag}` : `, ${inFile} AS ${column}`;
  });
  // `file_row_number` counts from 0; `_row` counts data rows from 1 in every format.
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(relationName)} AS ` +
      `SELECT file_row_number + 1 AS _row${values.join('')} FROM ${scan}`,
  );
  return { ok: true, relation: relationName };
}
