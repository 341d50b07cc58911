import type { LineEnd } from './line-ends.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';
import type { RecordsFound } from './text-records.ts';

/** The line end `read_csv` is told to split records on; undefined lets DuckDB take the first line break it meets. */
export type CsvReaderLineEnd = { readonly ok: true; readonly newLine?: 'LF' | 'CR' } | { readonly ok: false; readonly failure: ReadFailure };

/**
 * DuckDB 1.5 takes a file's line end from the first line break it meets, even one inside a quoted
 * value, and then refuses the file with an internal "state machine" error or a wrong unclosed
 * quote. Told `new_line='\n'` or `'\r'`, it reads LF and CR files with any break inside quotes
 * verbatim. Its `new_line='\r\n'` misreads quoted values (measured: a record swallowed into the
 * one before), so a CRLF file is left to DuckDB's own choice, which is right unless the file's
 * first line break is a LF or CR inside a quoted value: that file is refused here, with a reason.
 */
export function csvReaderLineEnd(found: RecordsFound): CsvReaderLineEnd {
  const { lineEnd, leadingQuotedBreak } = found;
  if (lineEnd === 'LF' || lineEnd === 'CR') return { ok: true, newLine: lineEnd };
  if (lineEnd === 'CRLF' && leadingQuotedBreak !== undefined && leadingQuotedBreak !== 'CRLF') {
    return { ok: false, failure: unreadable(leadingBreakMessage(leadingQuotedBreak), 1) };
  }
  return { ok: true };
}

function leadingBreakMessage(found: LineEnd): string {
  return (
    `line 1 has a ${found} line break inside a quoted value, before the first CRLF line end; the CSV reader ` +
    `takes the line end from the first line break, so it cannot read this file (end lines with LF, or start ` +
    `the file with a record whose quoted values hold no ${found})`
  );
}
