import type { DuckDBConnection } from '@duckdb/node-api';
import type { CsvOptions, Dataset } from '../../contracts/model.ts';
import { findColumnMismatch, type FoundColumn } from './column-match.ts';
import { csvReadFailure } from './csv-read-errors.ts';
import { csvScanSql, type ScanSettings } from './csv-scan.ts';
import { describeDuckDbError, type DuckDbErrorDetails } from './duckdb-errors.ts';
import { JSON_NUMBER_TYPES, jsonNumberLiteralSql } from './json-number-literal.ts';
import { failed, schemaMismatch, unreadable, type OpenResult, type ReadFailure } from './read-failure.ts';
import { quoteIdentifier, quoteLiteral } from './sql-text.ts';
import { structuredFlagName } from './structured-values.ts';
import { checkTextFile } from './text-file-checks.ts';
import { tallyRecords, unreadRecords, type TextSource } from './text-records.ts';

/**
 * Each line is read as one text value: valid JSON never contains the unit separator (0x1F;
 * the only raw control characters JSON allows are whitespace), so it cannot split a line, and
 * without quoting the reader keeps every byte. Reading lines through `read_csv` rather than
 * `read_json` gives exact line numbers, a line-size cap, UTF-8 BOM handling and UTF-8 errors
 * with their line. `read_json` (DuckDB 1.5) reports malformed lines one line late and skips
 * blank lines when counting, rejects a BOM, does not enforce `maximum_object_size` on newline-
 * delimited input, silently drops keys it was not told about, and on a line that is not an
 * object silently switches to reading whole lines as values.
 */
const LINE_OPTIONS: CsvOptions = { delimiter: '\x1f', quote: '', escape: '', header: false };

/**
 * Opens a JSON Lines file as `relationName(_row, <contract columns as VARCHAR>, <their
 * structured-value flags>)`, each column read from its key in the file (`Column.nameInFile`) under
 * its lakehouse name: strings as their value, numbers as their literal as written
 * (`jsonNumberLiteralSql`), booleans as their text, objects and arrays as JSON text flagged (see
 * `structuredFlagName`), as is a number whose literal is unknown, absent keys and `null` as NULL.
 * `_row` is the line number. Lines are counted beforehand, as DuckDB reads them without quoting
 * (a blank line is a line), and DuckDB must return every one.
 */
export async function openJsonLinesSource(
  connection: DuckDBConnection,
  dataset: Dataset,
  file: string,
  relationName: string,
  settings: ScanSettings,
): Promise<OpenResult> {
  const text = await checkTextFile(file, settings.gzip);
  if (!text.ok) return failed(text.failure);
  if (text.prefix.bytes.toString('latin1').trimStart().startsWith('[')) {
    return failed(unreadable('file is a JSON array; expected JSON Lines (one object per line)', 1));
  }

  const source: TextSource = { file, gzip: settings.gzip, layout: { quoting: LINE_OPTIONS, maxRecordBytes: settings.maxLineBytes } };
  const tally = await tallyRecords(source);
  if (!tally.ok) return failed(tally.failure);

  const lines = `${csvScanSql(file, ['line'], LINE_OPTIONS, settings)} WITH ORDINALITY`;
  let keys: KeysRead;
  try {
    keys = await readKeys(connection, lines);
  } catch (error) {
    return failed(await explainJsonLinesError(connection, lines, error));
  }
  const unread = await unreadRecords(source, { records: tally.records, headerRecords: 0, rowsRead: keys.lines });
  if (unread !== undefined) return failed(unread);

  const notAnObject = keys.keys.find((key) => key.name === null);
  if (notAnObject !== undefined) {
    return failed(
      notAnObject.firstBlankLine === notAnObject.firstLine
        ? unreadable(`line ${notAnObject.firstLine} is empty; JSON Lines needs one object per line`, notAnObject.firstLine)
        : unreadable(`line ${notAnObject.firstLine} is not a JSON object`, notAnObject.firstLine),
    );
  }
  const found: FoundColumn[] = keys.keys.flatMap((key) => (key.name === null ? [] : [{ name: key.name, line: key.firstLine }]));
  const mismatch = findColumnMismatch(found, dataset, { noun: 'key', ordered: false, optionalMayBeAbsent: true });
  if (mismatch !== undefined) return failed(schemaMismatch(mismatch.message, mismatch.line));

  const numberTypes = JSON_NUMBER_TYPES.map(quoteLiteral).join(', ');
  const values = dataset.columns.flatMap((column, index) => {
    const path = quoteLiteral(`$.${quoteIdentifier(column.nameInFile)}`);
    const literal = quoteIdentifier(`__literal_${index}`);
    return {
      extracted: [
        `, json_type(line, ${path}) AS ${quoteIdentifier(`__type_${index}`)}`,
        `, CASE WHEN json_type(line, ${path}) IN (${numberTypes}) THEN ${jsonNumberLiteralSql('line', column.nameInFile, path)} END AS ${literal}`,
        `, json_extract_string(line, ${path}) AS ${quoteIdentifier(`__value_${index}`)}`,
      ].join(''),
      // A number whose literal is unknown shows DuckDB's text in samples, flagged so it fails `type`.
      selected:
        `, coalesce(${literal}, ${quoteIdentifier(`__value_${index}`)}) AS ${quoteIdentifier(column.name)}` +
        `, ${quoteIdentifier(`__type_${index}`)} IN ('OBJECT', 'ARRAY') OR (${quoteIdentifier(`__type_${index}`)} IN (${numberTypes}) AND ${literal} IS NULL) ` +
        `AS ${quoteIdentifier(structuredFlagName(column.name))}`,
    };
  });
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(relationName)} AS SELECT _row${values.map((value) => value.selected).join('')} ` +
      `FROM (SELECT ordinality AS _row${values.map((value) => value.extracted).join('')} FROM ${lines})`,
  );
  return { ok: true, relation: relationName };
}

/** A top-level key and the first line it appears on; `name` null stands for lines that are not objects. */
interface KeyFirstSeen {
  readonly name: string | null;
  readonly firstLine: number;
  readonly firstBlankLine: number | null;
}

interface KeysRead {
  readonly keys: readonly KeyFirstSeen[];
  /** Lines DuckDB read: every line yields at least one key row, so the highest line number seen. */
  readonly lines: number;
}

/**
 * One scan over every line (so every byte is decoded) collecting the distinct top-level keys.
 * A blank line or a JSON value that is not an object yields a NULL key, which JSON keys never are.
 * Each object also yields a NULL key marked as an object, so that an object without keys still
 * shows in the line count.
 */
async function readKeys(connection: DuckDBConnection, lines: string): Promise<KeysRead> {
  const result = await connection.runAndReadAll(
    `SELECT key, object, min(ordinality) AS first_line, min(ordinality) FILTER (WHERE blank) AS first_blank_line, ` +
      `max(max(ordinality)) OVER () AS lines FROM (` +
      `SELECT ordinality, line IS NULL AS blank, coalesce(json_type(line) = 'OBJECT', false) AS object, ` +
      `unnest(CASE WHEN json_type(line) = 'OBJECT' THEN list_prepend(NULL, json_keys(line)) ELSE [NULL] END) AS key ` +
      `FROM ${lines}) GROUP BY key, object ORDER BY first_line, key`,
  );
  const rows = result.getRowObjectsJS();
  return {
    keys: rows
      .filter((row) => row['key'] !== null || row['object'] === false)
      .map((row) => ({
        name: row['key'] as string | null,
        firstLine: Number(row['first_line']),
        firstBlankLine: row['first_blank_line'] === null ? null : Number(row['first_blank_line']),
      })),
    lines: rows.length === 0 ? 0 : Number(rows[0]!['lines']),
  };
}

/**
 * DuckDB's JSON functions fail on the first malformed line they meet without saying which
 * line that was, so a second scan finds the first invalid line and its reason.
 */
async function explainJsonLinesError(connection: DuckDBConnection, lines: string, error: unknown): Promise<ReadFailure> {
  if (!describeDuckDbError(error).reason.includes('Malformed JSON')) return lineReadFailure(describeDuckDbError(error));
  const invalid = await connection.runAndReadAll(
    `SELECT ordinality, line FROM ${lines} WHERE NOT json_valid(line) ORDER BY ordinality LIMIT 1`,
  );
  const row = invalid.getRowObjectsJS()[0];
  if (row === undefined) return lineReadFailure(describeDuckDbError(error));
  const line = Number(row['ordinality']);
  return unreadable(`line ${line} is not valid JSON (${await jsonSyntaxError(connection, String(row['line']))})`, line);
}

async function jsonSyntaxError(connection: DuckDBConnection, text: string): Promise<string> {
  try {
    await connection.run('SELECT json($1::VARCHAR)', [text]);
    return 'rejected by DuckDB';
  } catch (error) {
    const reason = describeDuckDbError(error).reason;
    const syntax = /Malformed JSON at byte (\d+) of input: (.*?)\.?\s+Input:/.exec(reason);
    return syntax === null ? reason : `${syntax[2]} at byte ${syntax[1]}`;
  }
}

/** A JSON line with a raw unit separator splits into two fields: it was not valid JSON either way. */
function lineReadFailure(details: DuckDbErrorDetails): ReadFailure {
  if (details.reason.startsWith('Expected Number of Columns')) {
    return unreadable(`line ${details.line} is not valid JSON (it contains an unescaped control character)`, details.line);
  }
  return csvReadFailure(details);
}
