import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../contracts/model.ts';
import { findColumnMismatch } from './column-match.ts';
import { parseCsvHeader } from './csv-header.ts';
import { csvReaderLineEnd } from './csv-line-end.ts';
import { csvReadFailure } from './csv-read-errors.ts';
import { csvScanSql, type ScanSettings } from './csv-scan.ts';
import { describeDuckDbError } from './duckdb-errors.ts';
import { failed, schemaMismatch, unreadable, type OpenResult } from './read-failure.ts';
import { readEveryValue } from './read-every-value.ts';
import { quoteIdentifier } from './sql-text.ts';
import { checkTextFile, TEXT_PREFIX_BYTES } from './text-file-checks.ts';
import { tallyRecords, unreadRecords, type TextSource } from './text-records.ts';

/**
 * Opens a CSV file as `relationName(_row, <contract columns as VARCHAR>)`, each under its
 * lakehouse name. The header is checked here against the contract's names in the file, by name
 * and order; DuckDB then reads the values by
 * position under neutral column names, so header spelling cannot clash with DuckDB's
 * case-insensitive names, and columns the contract ignores are read (to validate the whole
 * file) but not exposed. Every record is counted beforehand, fields included, and DuckDB must
 * return one row per data record.
 */
export async function openCsvSource(
  connection: DuckDBConnection,
  dataset: Dataset,
  file: string,
  relationName: string,
  settings: ScanSettings,
): Promise<OpenResult> {
  const text = await checkTextFile(file, settings.gzip);
  if (!text.ok) return failed(text.failure);
  const options = dataset.csv;

  let names = dataset.columns.map((column) => column.nameInFile);
  if (options.header) {
    const header = parseCsvHeader(text.prefix, options);
    if (header.kind === 'too-long') return failed(unreadable(`line 1 (the header) is longer than ${TEXT_PREFIX_BYTES} bytes`, 1));
    if (header.kind === 'unclosed-quote') return failed(unreadable('line 1 has a quoted value that is never closed', 1));
    if (header.kind === 'not-utf8') return failed(unreadable('line 1 is not valid UTF-8', 1));
    const mismatch = findColumnMismatch(
      header.names.map((name) => ({ name, line: 1 })),
      dataset,
      { noun: 'column', ordered: true, optionalMayBeAbsent: false },
    );
    if (mismatch !== undefined) return failed(schemaMismatch(mismatch.message, 1));
    names = [...header.names];
  }

  const source: TextSource = {
    file,
    gzip: settings.gzip,
    layout: { quoting: options, fields: { delimiter: options.delimiter, count: names.length }, maxRecordBytes: settings.maxLineBytes },
  };
  const tally = await tallyRecords(source);
  if (!tally.ok) return failed(tally.failure);
  const readerLineEnd = csvReaderLineEnd(tally);
  if (!readerLineEnd.ok) return failed(readerLineEnd.failure);

  const fileColumns = names.map((_, index) => `column${index + 1}`);
  const scan = csvScanSql(file, fileColumns, options, settings, readerLineEnd.newLine);
  let rowsRead: number;
  try {
    rowsRead = await readEveryValue(connection, scan, fileColumns);
  } catch (error) {
    return failed(csvReadFailure(describeDuckDbError(error)));
  }
  const unread = await unreadRecords(source, { records: tally.records, headerRecords: options.header ? 1 : 0, rowsRead });
  if (unread !== undefined) return failed(unread);

  const values = dataset.columns.map((column) => `${fileColumns[names.indexOf(column.nameInFile)]} AS ${quoteIdentifier(column.name)}`);
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(relationName)} AS ` +
      `SELECT ordinality AS _row${values.map((value) => `, ${value}`).join('')} FROM ${scan} WITH ORDINALITY`,
  );
  return { ok: true, relation: relationName };
}
