import type { CsvOptions } from '../../contracts/model.ts';
import { quoteLiteral } from './sql-text.ts';

export interface ScanSettings {
  readonly gzip: boolean;
  readonly maxLineBytes: number;
}

/**
 * A `read_csv` call that trusts nothing it could guess: no sniffing (which reads an unclosed
 * quote as a literal character and reports ragged rows without a line), every column VARCHAR,
 * strict RFC 4180 parsing and a line-size cap, so every error carries its line.
 * `allow_quoted_nulls=false` keeps `""` an empty string; only an empty unquoted field is NULL.
 * `newLine` is the record separator, when known (see `csvReaderLineEnd`).
 */
export function csvScanSql(file: string, columns: readonly string[], options: CsvOptions, settings: ScanSettings, newLine?: 'LF' | 'CR'): string {
  const columnTypes = columns.map((column) => `${quoteLiteral(column)}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${quoteLiteral(file)}, auto_detect=false, header=${options.header}, columns={${columnTypes}}, ` +
    `delim=${quoteLiteral(options.delimiter)}, quote=${quoteLiteral(options.quote)}, escape=${quoteLiteral(options.escape)}, ` +
    `strict_mode=true, allow_quoted_nulls=false, max_line_size=${settings.maxLineBytes}, ` +
    `compression=${settings.gzip ? "'gzip'" : "'none'"}` +
    // DuckDB wants the escape sequence itself: a backslash and a letter, not the control character.
    (newLine === undefined ? '' : `, new_line=${newLine === 'LF' ? "'\\n'" : "'\\r'"}`) +
    ')'
  );
}
