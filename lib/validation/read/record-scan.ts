import type { InconsistentLineEnd, LineEnd, Quoting } from './line-ends.ts';
import { chunksAfterUtf8Bom } from './text-encoding.ts';

/** How a text format lays its records out. */
export interface RecordLayout {
  /**
   * Line breaks inside a quoted value are data; an empty quote means a line is always a record
   * (JSON Lines). A quote opens a quoted value only at the start of a field, so quoting needs `fields`.
   */
  readonly quoting: Quoting;
  /** Fields split by `delimiter`; with `count`, every record must have that many. */
  readonly fields?: { readonly delimiter: string; readonly count?: number };
  /** The longest record accepted, in bytes, line end excluded. */
  readonly maxRecordBytes: number;
}

/** The first thing that makes the file's records unreadable; the scan stops there. */
export type RecordProblem =
  | { readonly kind: 'too-long'; readonly line: number; readonly inQuotes: boolean }
  /** `blank`: an empty line, one empty field, in a file of several columns. */
  | { readonly kind: 'field-count'; readonly line: number; readonly fields: number; readonly blank: boolean }
  | { readonly kind: 'line-end'; readonly line: number; readonly odd: InconsistentLineEnd }
  | { readonly kind: 'unclosed-quote'; readonly line: number };

export interface RecordCount {
  /**
   * Records in the file, a header included. A line end outside quotes ends a record, an empty one
   * too (a blank line is a record with one empty field, as DuckDB reads it in a one-column file);
   * text after the last line end is a record unless it is empty.
   */
  readonly records: number;
  readonly problem?: RecordProblem;
  /** The 1-based line the record `lineOfRecord` starts on, when asked and the file has it. */
  readonly recordLine?: number;
  /** The file's line end, from line ends outside quotes, when the scan met one. */
  readonly lineEnd?: LineEnd;
  /**
   * The first line break of the file when it is inside a quoted value, before any line end:
   * DuckDB takes a file's line end from the first line break it meets, quoted or not.
   */
  readonly leadingQuotedBreak?: LineEnd;
}

export interface ScanOptions {
  /** Also find the line record number `lineOfRecord` (1-based, header included) starts on. */
  readonly lineOfRecord?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const NONE = -1;

/** Where a scan stands between chunks. */
class ScanState {
  expectedLineEnd: LineEnd | undefined;
  line = 1;
  records = 0;
  recordLine = 1;
  recordBytes = 0;
  fields = 1;
  delimiterMatched = 0;
  inQuotes = false;
  /** A quote opens a quoted value only at the start of a field, or right after a closing quote (a doubled quote). */
  quoteMayOpen = true;
  escaping = false;
  afterCarriageReturn = false;
  foundRecordLine: number | undefined;
  leadingQuotedBreak: LineEnd | undefined;
  /** The leading quoted break is a CR that ended a chunk: the next byte tells CR from CRLF. */
  leadingQuotedCarriageReturn = false;
}

/**
 * Counts a text file's records in one streaming pass, independently of DuckDB, which can drop a
 * long last line without an error: a reader's row count is trusted only when it equals this.
 * The same pass enforces the record-size limit on every record (the last one included; DuckDB
 * reports a long line in the middle as an internal "Parallel CSV Reader" error), counts fields
 * (DuckDB accepts trailing empty extra fields and stops counting fields early), and finds mixed
 * line ends, so a gzip file is decompressed once and a bomb is abandoned at the first oversized
 * record. Only the first byte of quote and escape is used: DuckDB accepts single-byte ones only.
 */
export async function scanRecords(chunks: AsyncIterable<Buffer>, layout: RecordLayout, options: ScanOptions = {}): Promise<RecordCount> {
  const state = new ScanState();
  const scanner = new ChunkScanner(layout, options.lineOfRecord ?? NONE);
  let problem: RecordProblem | undefined;
  // DuckDB skips a UTF-8 byte-order mark, so a quote right after one opens a quoted value.
  for await (const chunk of chunksAfterUtf8Bom(chunks)) {
    problem = scanner.scan(chunk, state);
    if (problem !== undefined) break;
  }
  problem ??= scanner.finish(state);
  return {
    records: state.records,
    ...(problem !== undefined && { problem }),
    ...(state.foundRecordLine !== undefined && { recordLine: state.foundRecordLine }),
    ...(state.expectedLineEnd !== undefined && { lineEnd: state.expectedLineEnd }),
    ...(state.leadingQuotedBreak !== undefined && { leadingQuotedBreak: state.leadingQuotedBreak }),
  };
}

/**
 * The byte loop, kept apart from any closure: V8 keeps a closure's captured variables in a
 * context object, which made the loop four times slower than with plain locals.
 */
class ChunkScanner {
  private readonly quote: number;
  private readonly escape: number;
  private readonly delimiter: Buffer | undefined;
  private readonly expectedFields: number | undefined;
  private readonly maxRecordBytes: number;
  private readonly wantedRecord: number;

  constructor(layout: RecordLayout, wantedRecord: number) {
    const { quoting } = layout;
    this.quote = quoting.quote === '' ? NONE : quoting.quote.charCodeAt(0);
    this.escape = quoting.escape === '' || quoting.escape === quoting.quote ? NONE : quoting.escape.charCodeAt(0);
    this.delimiter = layout.fields === undefined ? undefined : Buffer.from(layout.fields.delimiter);
    this.expectedFields = layout.fields?.count;
    this.maxRecordBytes = layout.maxRecordBytes;
    this.wantedRecord = wantedRecord;
  }

  scan(chunk: Buffer, state: ScanState): RecordProblem | undefined {
    const { quote, escape, delimiter, maxRecordBytes } = this;
    const delimiterLength = delimiter?.length ?? 0;
    const delimiterStart = delimiter?.[0] ?? NONE;
    let { fields, delimiterMatched, inQuotes, quoteMayOpen, escaping, line, afterCarriageReturn } = state;
    // Where the current record starts, relative to this chunk (before it when negative, a CR
    // pending from the last chunk included): a record's size is its end minus its start.
    let recordStart = -state.recordBytes - (afterCarriageReturn ? 1 : 0);
    if (state.leadingQuotedCarriageReturn && chunk.length > 0) {
      state.leadingQuotedCarriageReturn = false;
      state.leadingQuotedBreak = chunk[0] === LF ? 'CRLF' : 'CR';
    }
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        const problem = this.endRecord(state, byte === LF ? 'CRLF' : 'CR', index - 1 - recordStart, fields, line);
        if (problem !== undefined) return problem;
        line = state.line;
        fields = 1;
        delimiterMatched = 0;
        quoteMayOpen = true;
        recordStart = byte === LF ? index + 1 : index;
        if (byte === LF) continue;
      }
      if (inQuotes) {
        if (escaping) escaping = false;
        else if (byte === escape) escaping = true;
        else if (byte === quote) {
          inQuotes = false;
          quoteMayOpen = true;
        } else if (byte === LF || byte === CR) {
          if (byte === LF) line += 1;
          if (state.records === 0 && state.leadingQuotedBreak === undefined) this.noteLeadingQuotedBreak(chunk, index, state);
        }
      } else if (byte === LF || byte === CR) {
        if (index - recordStart > maxRecordBytes) return { kind: 'too-long', line: state.recordLine, inQuotes: false };
        if (byte === CR) {
          // Whether CR is CRLF or CR alone shows only with the next byte, maybe in the next chunk.
          afterCarriageReturn = true;
          continue;
        }
        const problem = this.endRecord(state, 'LF', index - recordStart, fields, line);
        if (problem !== undefined) return problem;
        line = state.line;
        fields = 1;
        delimiterMatched = 0;
        quoteMayOpen = true;
        recordStart = index + 1;
      } else if (byte === quote && quoteMayOpen) {
        inQuotes = true;
        delimiterMatched = 0;
      } else if (byte !== delimiterStart && delimiterMatched === 0) {
        // Inside an unquoted value a quote is an ordinary character, as DuckDB reads it.
        quoteMayOpen = false;
      } else {
        // A multi-byte delimiter is one UTF-8 character, whose lead byte never occurs inside
        // another character, so a failed partial match can only restart at this byte.
        if (byte === delimiter![delimiterMatched]) delimiterMatched += 1;
        else delimiterMatched = byte === delimiterStart ? 1 : 0;
        quoteMayOpen = delimiterMatched === delimiterLength;
        if (quoteMayOpen) {
          fields += 1;
          delimiterMatched = 0;
        }
      }
    }
    const recordBytes = chunk.length - (afterCarriageReturn ? 1 : 0) - recordStart;
    Object.assign(state, { recordBytes, fields, delimiterMatched, inQuotes, quoteMayOpen, escaping, line, afterCarriageReturn });
    if (recordBytes > maxRecordBytes) return { kind: 'too-long', line: state.recordLine, inQuotes };
    return undefined;
  }

  /** Records the break at `index`, inside quotes and before any line end; a CR may need the next chunk. */
  private noteLeadingQuotedBreak(chunk: Buffer, index: number, state: ScanState): void {
    if (chunk[index] === LF) state.leadingQuotedBreak = 'LF';
    else if (index + 1 < chunk.length) state.leadingQuotedBreak = chunk[index + 1] === LF ? 'CRLF' : 'CR';
    else state.leadingQuotedCarriageReturn = true;
  }

  /** After the last chunk: a pending CR ends a record; text after the last line end is one. */
  finish(state: ScanState): RecordProblem | undefined {
    if (state.leadingQuotedCarriageReturn) {
      state.leadingQuotedCarriageReturn = false;
      state.leadingQuotedBreak = 'CR';
    }
    if (state.afterCarriageReturn) return this.endRecord(state, 'CR', state.recordBytes, state.fields, state.line);
    if (state.inQuotes) return { kind: 'unclosed-quote', line: state.recordLine };
    if (state.recordBytes === 0) return undefined;
    return this.countRecord(state, state.recordBytes, state.fields);
  }

  private countRecord(state: ScanState, recordBytes: number, fields: number): RecordProblem | undefined {
    state.records += 1;
    if (state.records === this.wantedRecord) state.foundRecordLine = state.recordLine;
    if (this.expectedFields !== undefined && fields !== this.expectedFields) {
      return { kind: 'field-count', line: state.recordLine, fields, blank: recordBytes === 0 };
    }
    return undefined;
  }

  /** Ends the record at a line end of line `line`; a problem stops the scan. */
  private endRecord(state: ScanState, found: LineEnd, recordBytes: number, fields: number, line: number): RecordProblem | undefined {
    state.expectedLineEnd ??= found;
    if (found !== state.expectedLineEnd) return { kind: 'line-end', line, odd: { line, found, expected: state.expectedLineEnd } };
    const problem = this.countRecord(state, recordBytes, fields);
    if (problem !== undefined) return problem;
    state.line = line + 1;
    state.recordLine = state.line;
    return undefined;
  }
}
