import { access } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../contracts/model.ts';
import { openCsvSource } from './csv-source.ts';
import { describeDuckDbError } from './duckdb-errors.ts';
import { fileKindOf, KNOWN_EXTENSIONS } from './file-kind.ts';
import { openJsonLinesSource } from './json-lines-source.ts';
import { openParquetSource } from './parquet-source.ts';
import { failed, unreadable, type OpenResult } from './read-failure.ts';
import { quoteIdentifier } from './sql-text.ts';

export type { OpenResult, ReadFailure } from './read-failure.ts';

export interface OpenSourceOptions {
  /** Name of the TEMP VIEW created on success. @default 'source_rows' */
  readonly relationName?: string;
  /** Longest line accepted in a CSV or JSON Lines file, in bytes. @default 2 MiB */
  readonly maxLineBytes?: number;
}

export const DEFAULT_RELATION_NAME = 'source_rows';
export const DEFAULT_MAX_LINE_BYTES = 2 * 1024 * 1024;

/**
 * Opens a data file for validation against its dataset's contract. On success the connection
 * has a TEMP VIEW `relationName` with `_row` (BIGINT, 1-based data row) and one column per
 * contract column in contract order (VARCHAR for CSV and JSON Lines, native types for
 * Parquet), and the whole file has been read once, so every value decodes and later queries
 * over any subset of columns are safe. Otherwise the failure says why, with the line where
 * there is one; no view is left behind and nothing is thrown.
 *
 * The relation is a view over the file, not a table: measured on 5M narrow CSV rows with a
 * 300 MB memory limit, materializing a TEMP TABLE took 3.8 s and 494 MB RSS, while the
 * all-column check scan took 1.4 s and each later scan of the view about 1.2 s, within 380 MB.
 *
 * Use a fresh DuckDB instance per file: a DuckDB internal error (reported as a `readable`
 * failure) leaves the instance unusable.
 */
export async function openSource(
  connection: DuckDBConnection,
  dataset: Dataset,
  file: string,
  options: OpenSourceOptions = {},
): Promise<OpenResult> {
  const relationName = options.relationName ?? DEFAULT_RELATION_NAME;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const kind = fileKindOf(file);
  if (kind === undefined) return failed(unreadable(`cannot tell the file format from the name '${file}'; expected ${KNOWN_EXTENSIONS}`));
  if (kind.format !== dataset.format) {
    return failed(unreadable(`file format '${kind.format}' (from the extension) is not what the contract declares ('${dataset.format}')`));
  }
  // Checked at `contracts check` when a server says csv; a contract validated on its own reads a CSV file by its extension.
  const nested = dataset.columns.find((column) => column.type.kind === 'struct' || column.type.kind === 'list');
  if (kind.format === 'csv' && nested !== undefined) {
    return failed(unreadable(`column '${nested.name}' is an ${nested.logicalType}, which a CSV file cannot hold: deliver JSON Lines or Parquet`));
  }
  try {
    await access(file);
  } catch {
    return failed(unreadable(`file '${file}' does not exist or cannot be read`));
  }
  try {
    await connection.run(`DROP VIEW IF EXISTS ${quoteIdentifier(relationName)}`);
    switch (kind.format) {
      case 'csv':
        return await openCsvSource(connection, dataset, file, relationName, { gzip: kind.gzip, maxLineBytes });
      case 'json':
        return await openJsonLinesSource(connection, dataset, file, relationName, { gzip: kind.gzip, maxLineBytes });
      case 'parquet':
        return await openParquetSource(connection, dataset, file, relationName);
    }
  } catch (error) {
    return failed(unreadable(describeDuckDbError(error).reason));
  }
}
