import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import type { CsvOptions } from '../../lib/contracts/model.ts';
import { quoteIdentifier, quoteString } from '../../lib/sql/ansi.ts';
import type { GeneratedColumn, TextRow } from './generated-rows.ts';

/** How a producer lays out a text file, beyond the values: line ends, a BOM, a last line end or not. */
export interface TextLayout {
  readonly lineEnd: '\n' | '\r\n';
  readonly bom: boolean;
  readonly finalNewline: boolean;
}

export const textLayouts: fc.Arbitrary<TextLayout> = fc.record({
  lineEnd: fc.constantFrom('\n' as const, '\r\n' as const),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

/** CSV options a contract can declare: distinct single characters, escape either doubling or a backslash. */
export const csvOptions: fc.Arbitrary<CsvOptions> = fc
  .record({
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    quote: fc.constantFrom('"', "'"),
    backslashEscape: fc.boolean(),
    header: fc.boolean(),
  })
  .map(({ delimiter, quote, backslashEscape, header }) => ({ delimiter, quote, escape: backslashEscape ? '\\' : quote, header }));

function csvField(value: string | null, options: CsvOptions, quoteAll: boolean): string {
  // Only an empty unquoted field is NULL; an empty string must be quoted to stay a string.
  if (value === null) return '';
  const special = [options.delimiter, options.quote, options.escape, '\n', '\r'];
  if (!quoteAll && value !== '' && !special.some((character) => value.includes(character))) return value;
  const escaped =
    options.escape === options.quote
      ? value.replaceAll(options.quote, options.quote + options.quote)
      : [...value].map((character) => (character === options.quote || character === options.escape ? options.escape + character : character)).join('');
  return `${options.quote}${escaped}${options.quote}`;
}

/**
 * A well-formed CSV file of `rows`: one record per row, every field quoted when it must be (or
 * all of them, with `quoteAll`). In a one-column file a null value is an empty line, so a last
 * null row gets its line end: without one, it would not be there.
 */
export function csvText(
  names: readonly string[],
  rows: readonly TextRow[],
  options: CsvOptions,
  layout: TextLayout & { readonly quoteAll: boolean },
): string {
  const records = [...(options.header ? [names.map((name) => csvField(name, options, layout.quoteAll))] : []), ...rows.map((row) => row.map((value) => csvField(value, options, layout.quoteAll)))];
  const lines = records.map((fields) => fields.join(options.delimiter));
  const lastIsEmpty = lines.length > 0 && lines.at(-1) === '';
  const body = lines.join(layout.lineEnd) + (lines.length > 0 && (layout.finalNewline || lastIsEmpty) ? layout.lineEnd : '');
  return (layout.bom ? '\ufeff' : '') + body;
}

const NUMERIC = new Set(['integer', 'number', 'decimal']);

/** The JSON text of one value: numbers and booleans of their column's type as JSON numbers and booleans, the rest as strings. */
function jsonValueText(column: GeneratedColumn, value: string): string {
  if (NUMERIC.has(column.type) && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(value)) return value;
  if (column.type === 'boolean' && (value === 'true' || value === 'false')) return value;
  return JSON.stringify(value);
}

/**
 * A well-formed JSON Lines file: one object per row. A null of an optional column is left out
 * when `omitNulls` is set (producers do both); a required column's key is always written.
 */
export function jsonLinesText(
  columns: readonly GeneratedColumn[],
  rows: readonly TextRow[],
  layout: TextLayout & { readonly omitNulls: boolean },
): string {
  const lines = rows.map((row) => {
    const members = columns.flatMap((column, index) => {
      const value = row[index] ?? null;
      if (value === null && layout.omitNulls && !column.required) return [];
      return [`${JSON.stringify(column.name)}: ${value === null ? 'null' : jsonValueText(column, value)}`];
    });
    return `{${members.join(', ')}}`;
  });
  const body = lines.join(layout.lineEnd) + (lines.length > 0 && layout.finalNewline ? layout.lineEnd : '');
  return (layout.bom ? '\ufeff' : '') + body;
}

/** The DuckDB type a Parquet writer may give a column of each contract type; VARCHAR is always possible. */
export const PARQUET_TYPES: Readonly<Record<GeneratedColumn['type'], readonly string[]>> = {
  string: ['VARCHAR'],
  integer: ['BIGINT', 'DOUBLE', 'VARCHAR'],
  number: ['DOUBLE', 'VARCHAR'],
  decimal: ['DECIMAL(10,2)', 'DOUBLE', 'VARCHAR'],
  boolean: ['BOOLEAN', 'VARCHAR'],
  date: ['DATE', 'VARCHAR'],
  timestamp: ['TIMESTAMP', 'VARCHAR'],
};

/** Writes `rows` (text, cast to each column's Parquet type) as a Parquet file by DuckDB, as a producer's engine would. */
export async function writeParquet(
  connection: DuckDBConnection,
  file: string,
  columns: readonly { readonly name: string; readonly sqlType: string }[],
  rows: readonly TextRow[],
): Promise<void> {
  const select = (row: TextRow) =>
    `SELECT ${columns.map((column, index) => `CAST(${row[index] === null ? 'NULL' : quoteString(row[index]!)} AS ${column.sqlType}) AS ${quoteIdentifier(column.name)}`).join(', ')}`;
  // A file of no rows still has its columns' types, from a select that returns none.
  const empty = `${select(columns.map(() => null))} LIMIT 0`;
  const query = rows.length === 0 ? empty : rows.map(select).join('\nUNION ALL\n');
  await connection.run(`COPY (${query}) TO ${quoteString(file)} (FORMAT parquet)`);
}
