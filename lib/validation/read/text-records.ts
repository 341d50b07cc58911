import { gzipFailure } from './gzip-integrity.ts';
import { describeInconsistentLineEnd, type LineEnd } from './line-ends.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';
import { scanRecords, type RecordLayout, type RecordProblem } from './record-scan.ts';
import { textChunks } from './text-chunks.ts';

export interface TextSource {
  readonly file: string;
  readonly gzip: boolean;
  readonly layout: RecordLayout;
}

/** The records counted and, as `scanRecords` finds them, the file's line end and leading quoted line break. */
export interface RecordsFound {
  readonly records: number;
  readonly lineEnd?: LineEnd;
  readonly leadingQuotedBreak?: LineEnd;
}

export type RecordTally = ({ readonly ok: true } & RecordsFound) | { readonly ok: false; readonly failure: ReadFailure };

function problemFailure(problem: RecordProblem, layout: RecordLayout): ReadFailure {
  const { line } = problem;
  switch (problem.kind) {
    case 'too-long':
      return unreadable(
        `line ${line} is longer than the limit of ${layout.maxRecordBytes} bytes` +
          (problem.inQuotes ? ' (inside a quoted value: is a quote never closed?)' : ''),
        line,
      );
    case 'field-count': {
      const expected = layout.fields?.count;
      return unreadable(
        problem.blank ? `line ${line} is empty; expected ${expected} fields` : `line ${line} has ${problem.fields} fields; expected ${expected}`,
        line,
      );
    }
    case 'line-end':
      return unreadable(describeInconsistentLineEnd(problem.odd), line);
    case 'unclosed-quote':
      return unreadable(`line ${line} has a quoted value that is never closed`, line);
  }
}

/**
 * Counts the file's records (see `scanRecords`), decompressing a gzip file to its end, which is
 * its integrity check. Fails on the first record that is too long, has the wrong number of
 * fields, ends with an odd line end or leaves a quote open, so DuckDB only reads files whose
 * every record it can take.
 */
export async function tallyRecords(source: TextSource): Promise<RecordTally> {
  try {
    const { records, lineEnd, leadingQuotedBreak, problem } = await scanRecords(textChunks(source.file, source.gzip), source.layout);
    if (problem !== undefined) return { ok: false, failure: problemFailure(problem, source.layout) };
    return { ok: true, records, ...(lineEnd !== undefined && { lineEnd }), ...(leadingQuotedBreak !== undefined && { leadingQuotedBreak }) };
  } catch (error) {
    const corrupt = gzipFailure(error);
    if (corrupt === undefined) throw error;
    return { ok: false, failure: corrupt };
  }
}

/**
 * Undefined when the reader returned one row per data record; otherwise the failure, naming the
 * line of the first record past the rows read. DuckDB can drop a long last line without an error.
 */
export async function unreadRecords(
  source: TextSource,
  counts: { readonly records: number; readonly headerRecords: number; readonly rowsRead: number },
): Promise<ReadFailure | undefined> {
  const dataRecords = counts.records - counts.headerRecords;
  if (counts.rowsRead === dataRecords) return undefined;
  const firstUnread = counts.headerRecords + counts.rowsRead + 1;
  const { recordLine } = await scanRecords(textChunks(source.file, source.gzip), source.layout, { lineOfRecord: firstUnread });
  const where = recordLine === undefined ? '' : `; the first record not read starts on line ${recordLine}`;
  return unreadable(`the file has ${dataRecords} data records but the reader returned ${counts.rowsRead} rows${where}`, recordLine);
}
