import type { CsvOptions } from '../../contracts/model.ts';
import { describeDuckDbError, type DuckDbErrorDetails } from './duckdb-errors.ts';
import { describeInconsistentLineEnd, findInconsistentLineEnd, type Quoting } from './line-ends.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';
import { quoteLiteral } from './sql-text.ts';
import { textChunks } from './text-chunks.ts';

export interface ScanSettings {
  readonly gzip: boolean;
  readonly maxLineBytes: number;
}

/**
 * A `read_csv` call that trusts nothing it could guess: no sniffing (which reads an unclosed
 * quote as a literal character and reports ragged rows without a line), every column VARCHAR,
 * strict RFC 4180 parsing and a line-size cap, so every error carries its line.
 * `allow_quoted_nulls=false` keeps `""` an empty string; only an empty unquoted field is NULL.
 */
export function csvScanSql(file: string, columns: readonly string[], options: CsvOptions, settings: ScanSettings): string {
  const columnTypes = columns.map((column) => `${quoteLiteral(column)}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${quoteLiteral(file)}, auto_detect=false, header=${options.header}, columns={${columnTypes}}, ` +
    `delim=${quoteLiteral(options.delimiter)}, quote=${quoteLiteral(options.quote)}, escape=${quoteLiteral(options.escape)}, ` +
    `strict_mode=true, allow_quoted_nulls=false, max_line_size=${settings.maxLineBytes}, ` +
    `compression=${settings.gzip ? "'gzip'" : "'none'"})`
  );
}

/**
 * The failure behind a `read_csv` error. Mixed line ends make DuckDB fail with no line or with
 * a misleading "unterminated quote", so on any error the file is scanned for an inconsistent
 * line end at or before DuckDB's line; only without one is DuckDB's own reason reported.
 */
export async function explainCsvScanError(
  error: unknown,
  file: string,
  settings: ScanSettings,
  quoting: Quoting,
  describe: (details: DuckDbErrorDetails) => ReadFailure,
): Promise<ReadFailure> {
  const details = describeDuckDbError(error);
  const odd = await findInconsistentLineEnd(textChunks(file, settings.gzip), quoting);
  if (odd !== undefined && (details.line === undefined || odd.line <= details.line)) {
    return unreadable(describeInconsistentLineEnd(odd), odd.line);
  }
  return describe(details);
}
