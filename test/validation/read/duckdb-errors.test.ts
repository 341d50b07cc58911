import { describe, expect, it } from 'vitest';
import { csvReadFailure } from '../../../lib/validation/read/csv-read-errors.ts';
import { describeDuckDbError } from '../../../lib/validation/read/duckdb-errors.ts';

/** The shape of DuckDB 1.5 `read_csv` errors: reason after the quoted line, then advice and settings. */
function csvError(line: number, originalLine: string, reason: string): Error {
  return new Error(
    `Invalid Input Error: CSV Error on Line: ${line}\nOriginal Line: ${originalLine}\n${reason}\n\n` +
      "Possible fixes:\n* Disable the parser's strict mode (strict_mode=false)\n\n  file = x.csv\n  delimiter = , (Set By User)\n",
  );
}

describe('describeDuckDbError', () => {
  it('keeps the reason and line of a CSV error, dropping the quoted line and the advice', () => {
    expect(describeDuckDbError(csvError(3, '2,b,c', 'Expected Number of Columns: 2 Found: 3'))).toEqual({
      reason: 'Expected Number of Columns: 2 Found: 3',
      line: 3,
    });
  });

  it('finds the reason after a quoted line that spans several lines', () => {
    expect(describeDuckDbError(csvError(2, '1,"a\n2,b\n3,d\n', 'Value with unterminated quote found.'))).toEqual({
      reason: 'Value with unterminated quote found.',
      line: 2,
    });
  });

  it('drops the SQL excerpt and the error type of other errors', () => {
    expect(describeDuckDbError(new Error("IO Error: No files found that match the pattern \"x.csv\"\n\nLINE 1: SELECT * FROM read_csv('x.csv')\n  ^"))).toEqual({
      reason: 'No files found that match the pattern "x.csv"',
    });
  });

  it('marks internal errors as DuckDB failures and drops the stack trace', () => {
    expect(describeDuckDbError(new Error('INTERNAL Error: Attempted to access index 1 within vector of size 1\n\nStack Trace:\n\n/lib/libduckdb.so(...)'))).toEqual({
      reason: 'DuckDB internal error: Attempted to access index 1 within vector of size 1',
    });
  });

  it('caps a very long reason', () => {
    const { reason } = describeDuckDbError(new Error(`Invalid Input Error: ${'x'.repeat(10_000)}`));
    expect(reason).toHaveLength(303);
    expect(reason.endsWith('...')).toBe(true);
  });

  it('accepts things thrown that are not errors', () => {
    expect(describeDuckDbError('plain text')).toEqual({ reason: 'plain text' });
  });
});

describe('csvReadFailure', () => {
  it('rephrases the read_csv errors users meet', () => {
    expect(csvReadFailure({ reason: 'Expected Number of Columns: 2 Found: 3', line: 4 })).toEqual({
      kind: 'readable',
      message: 'line 4 has 3 fields; expected 2',
      line: 4,
    });
    expect(csvReadFailure({ reason: 'Maximum line size of 2097152 bytes exceeded. Actual Size:10485762 bytes.', line: 3 })).toEqual({
      kind: 'readable',
      message: 'line 3 is 10485762 bytes long, more than the limit of 2097152 bytes',
      line: 3,
    });
    expect(csvReadFailure({ reason: 'Value with unterminated quote found.', line: 2 })).toEqual({
      kind: 'readable',
      message: 'line 2 has a quoted value that is never closed',
      line: 2,
    });
    expect(csvReadFailure({ reason: 'Invalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.', line: 5 })).toEqual({
      kind: 'readable',
      message: 'line 5 is not valid UTF-8',
      line: 5,
    });
  });

  it("passes other reasons on with DuckDB's line, or without one", () => {
    expect(csvReadFailure({ reason: 'Something new.', line: 8 })).toEqual({ kind: 'readable', message: 'line 8: Something new.', line: 8 });
    expect(csvReadFailure({ reason: 'The CSV Parser state machine reached an invalid state.' })).toEqual({
      kind: 'readable',
      message: 'The CSV Parser state machine reached an invalid state.',
    });
  });
});
