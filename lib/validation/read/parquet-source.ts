import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../contracts/model.ts';
import { findColumnMismatch } from './column-match.ts';
import { describeDuckDbError } from './duckdb-errors.ts';
import { parquetMagicProblem } from './parquet-magic.ts';
import { failed, schemaMismatch, unreadable, type OpenResult } from './read-failure.ts';
import { readEveryValue } from './read-every-value.ts';
import { quoteIdentifier, quoteLiteral } from './sql-text.ts';

/**
 * Opens a Parquet file as `relationName(_row, <contract columns in their Parquet types>)`.
 * Parquet columns are matched by name, so their order in the file does not matter.
 */
export async function openParquetSource(
  connection: DuckDBConnection,
  dataset: Dataset,
  file: string,
  relationName: string,
): Promise<OpenResult> {
  const magicProblem = await parquetMagicProblem(file);
  if (magicProblem !== undefined) return failed(magicProblem);

  let names: string[];
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`);
    names = described.getRowObjectsJS().map((row) => String(row['column_name']));
  } catch (error) {
    return failed(unreadable(`Parquet file cannot be read: ${describeDuckDbError(error).reason}`));
  }
  const mismatch = findColumnMismatch(
    names.map((name) => ({ name })),
    dataset,
    { noun: 'column', ordered: false, optionalMayBeAbsent: false },
  );
  if (mismatch !== undefined) return failed(schemaMismatch(mismatch.message));

  const scan = `read_parquet(${quoteLiteral(file)}, file_row_number=true)`;
  const columns = dataset.columns.map((column) => quoteIdentifier(column.name));
  try {
    await readEveryValue(connection, scan, columns);
  } catch (error) {
    return failed(unreadable(`Parquet file cannot be read: ${describeDuckDbError(error).reason}`));
  }
  // `file_row_number` counts from 0; `_row` counts data rows from 1 in every format.
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(relationName)} AS ` +
      `SELECT file_row_number + 1 AS _row${columns.map((column) => `, ${column}`).join('')} FROM ${scan}`,
  );
  return { ok: true, relation: relationName };
}
