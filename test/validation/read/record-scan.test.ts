import { describe, expect, it } from 'vitest';
import { describeInconsistentLineEnd, type Quoting } from '../../../lib/validation/read/line-ends.ts';
import { scanRecords, type RecordCount, type RecordLayout } from '../../../lib/validation/read/record-scan.ts';

const CSV_QUOTING: Quoting = { quote: '"', escape: '"' };
const NO_QUOTING: Quoting = { quote: '', escape: '' };
const LIMIT = 1024;

/** Feeds the text in chunks of `size` bytes, so state carried across chunk boundaries is exercised. */
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function scan(text: string, layout: Partial<RecordLayout> = {}, lineOfRecord?: number): Promise<RecordCount> {
  const full: RecordLayout = { quoting: CSV_QUOTING, fields: { delimiter: ',' }, maxRecordBytes: LIMIT, ...layout };
  const results = [];
  for (const size of [1, 2, 3, 1024]) {
    results.push(await scanRecords(chunked(text, size), full, lineOfRecord === undefined ? {} : { lineOfRecord }));
  }
  // The answer must not depend on where chunks happen to split the text.
  expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
  return results[0]!;
}

const lineEndProblem = async (text: string, quoting: Quoting = CSV_QUOTING) => {
  const { problem } = await scan(text, { quoting });
  return problem?.kind === 'line-end' ? problem.odd : problem;
};

describe('scanRecords: counting records', () => {
  it('counts records ended by a line end, and text after the last one', async () => {
    expect(await scan('a,b\n1,2\n3,4\n')).toEqual({ records: 3, lineEnd: 'LF' });
    expect(await scan('a,b\n1,2\n3,4')).toEqual({ records: 3, lineEnd: 'LF' });
    expect(await scan('a,b\r\n1,2\r\n')).toEqual({ records: 2, lineEnd: 'CRLF' });
    expect(await scan('a,b\r1,2\r3,4')).toEqual({ records: 3, lineEnd: 'CR' });
    expect(await scan('')).toEqual({ records: 0 });
  });

  it('counts a blank line as a record, as DuckDB reads one in a one-column file', async () => {
    expect(await scan('a\n1\n\n3\n\n')).toEqual({ records: 5, lineEnd: 'LF' });
    expect(await scan('{"a":1}\r\n\r\n{"a":2}\r\n', { quoting: NO_QUOTING })).toEqual({ records: 3, lineEnd: 'CRLF' });
  });

  it('does not count line breaks inside quoted values', async () => {
    expect(await scan('a,b\n1,"x\ny\r\nz"\n2,"say ""hi""\n"\n')).toEqual({ records: 3, lineEnd: 'LF' });
  });

  it('reads a quote inside an unquoted value as an ordinary character, as DuckDB does', async () => {
    expect(await scan('a,b,c\nA1,5" screen,1\nA2,"x, ""y""",2\n', { fields: { delimiter: ',', count: 3 } })).toEqual({ records: 3, lineEnd: 'LF' });
    expect(await scan('a,b,c\nA1,say "hi" there,1\n', { fields: { delimiter: ',', count: 3 } })).toEqual({ records: 2, lineEnd: 'LF' });
  });

  it('counts every line when the format has no quoting', async () => {
    expect(await scan('{"a":"x\n"}\n', { quoting: NO_QUOTING })).toEqual({ records: 2, lineEnd: 'LF' });
  });

  it("finds a line break inside a quoted value before the file's first line end", async () => {
    expect(await scan('"x\ny",b\r\n1,2\r\n')).toEqual({ records: 2, lineEnd: 'CRLF', leadingQuotedBreak: 'LF' });
    expect(await scan('"\r",b\r\n1,2\r\n')).toEqual({ records: 2, lineEnd: 'CRLF', leadingQuotedBreak: 'CR' });
    expect(await scan('"x\r\ny",b\n1,2\n')).toEqual({ records: 2, lineEnd: 'LF', leadingQuotedBreak: 'CRLF' });
    expect(await scan('"x\r"')).toEqual({ records: 1, leadingQuotedBreak: 'CR' });
    // Only the first line break counts: after a line end, quoted breaks are the reader's to split.
    expect(await scan('a,b\r\n"x\ny",b\r\n')).toEqual({ records: 2, lineEnd: 'CRLF' });
    expect(await scan('"x\ny\r",b\n')).toEqual({ records: 1, lineEnd: 'LF', leadingQuotedBreak: 'LF' });
  });

  it('skips a UTF-8 byte-order mark, so a quote right after it opens a quoted value', async () => {
    expect(await scan('\ufeff"x,y",z\n', { fields: { delimiter: ',', count: 2 } })).toEqual({ records: 1, lineEnd: 'LF' });
    expect(await scan('\ufeff",",', { fields: { delimiter: ',', count: 2 } })).toEqual({ records: 1 });
    expect(await scan('\ufeff')).toEqual({ records: 0 });
  });

  it('finds the line a record starts on', async () => {
    expect(await scan('a,b\n1,"x\ny"\n2,z\n', {}, 3)).toEqual({ records: 3, lineEnd: 'LF', recordLine: 4 });
    expect(await scan('a,b\n1,2\n', {}, 3)).toEqual({ records: 2, lineEnd: 'LF' });
  });
});

describe('scanRecords: problems', () => {
  const fields = (count: number, delimiter = ',') => ({ fields: { delimiter, count } });

  it('counts fields outside quotes, trailing empty ones included', async () => {
    expect(await scan('a,b,c\n1,"x,y",3\n', fields(3))).toEqual({ records: 2, lineEnd: 'LF' });
    expect((await scan('a,b,c\n1,2,3\n4,5,6,,\n7,8,9\n', fields(3))).problem).toEqual({ kind: 'field-count', line: 3, fields: 5, blank: false });
    expect((await scan('a,b,c\n1,2,3', fields(2))).problem).toEqual({ kind: 'field-count', line: 1, fields: 3, blank: false });
    expect((await scan('a,b\n1,2\n3', fields(2))).problem).toEqual({ kind: 'field-count', line: 3, fields: 1, blank: false });
  });

  it('reports a blank line in a file of several columns', async () => {
    expect((await scan('a,b\n1,2\n\n3,4\n', fields(2))).problem).toEqual({ kind: 'field-count', line: 3, fields: 1, blank: true });
  });

  it('counts the real number of fields of a very wide row', async () => {
    const wide = Array.from({ length: 100_012 }, () => 'x').join(',');
    const { problem } = await scanRecords(chunked(`a,b,c\n${wide}\n`, 4096), { quoting: CSV_QUOTING, maxRecordBytes: 1 << 20, ...fields(3) });
    expect(problem).toEqual({ kind: 'field-count', line: 2, fields: 100_012, blank: false });
  });

  it('matches a multi-byte delimiter across chunk boundaries', async () => {
    expect(await scan('a¦b\n1¦2\n', fields(2, '¦'))).toEqual({ records: 2, lineEnd: 'LF' });
    expect((await scan('a¦b\n1¦2¦3\n', fields(2, '¦'))).problem).toMatchObject({ kind: 'field-count', line: 2, fields: 3 });
  });

  it('stops at the first record longer than the limit, wherever it is', async () => {
    const long = 'x'.repeat(LIMIT + 1);
    expect(await scan(`a\n${long}\nb\n`)).toEqual({ records: 1, lineEnd: 'LF', problem: { kind: 'too-long', line: 2, inQuotes: false } });
    expect(await scan(`a\nb\n${long}`)).toEqual({ records: 2, lineEnd: 'LF', problem: { kind: 'too-long', line: 3, inQuotes: false } });
    expect(await scan(`a\n"${long}`)).toEqual({ records: 1, lineEnd: 'LF', problem: { kind: 'too-long', line: 2, inQuotes: true } });
    expect(await scan(`a\r\n${'x'.repeat(LIMIT)}\r\n`)).toEqual({ records: 2, lineEnd: 'CRLF' });
  });

  it('reports a quote never closed', async () => {
    expect(await scan('a,b\n1,"x\n2,y\n')).toEqual({ records: 1, lineEnd: 'LF', problem: { kind: 'unclosed-quote', line: 2 } });
  });
});

describe('scanRecords: line ends', () => {
  it('accepts consistent LF, CRLF and CR files, with or without a final line end', async () => {
    expect(await lineEndProblem('a,b\n1,2\n3,4\n')).toBeUndefined();
    expect(await lineEndProblem('a,b\r\n1,2\r\n3,4')).toBeUndefined();
    expect(await lineEndProblem('a,b\r1,2\r')).toBeUndefined();
  });

  it('names the first line whose end differs from the first line end', async () => {
    expect(await lineEndProblem('a,b\r\n1,2\r\n3,4\n5,6\n')).toEqual({ line: 3, found: 'LF', expected: 'CRLF' });
    expect(await lineEndProblem('a,b\n1,2\r\n')).toEqual({ line: 2, found: 'CRLF', expected: 'LF' });
    expect(await lineEndProblem('a,b\n1,2\r3,4\n')).toEqual({ line: 2, found: 'CR', expected: 'LF' });
    expect(await lineEndProblem('a,b\n1,2\r')).toEqual({ line: 2, found: 'CR', expected: 'LF' });
  });

  it('treats line breaks inside quoted values as data but still counts them as lines', async () => {
    expect(await lineEndProblem('a,b\r\n1,"x\ny"\r\n2,"say ""hi""\n"\r\n')).toBeUndefined();
    expect(await lineEndProblem('a,b\r\n1,"x\ny"\r\n2,z\n')).toEqual({ line: 4, found: 'LF', expected: 'CRLF' });
  });

  it('honours an escape character distinct from the quote', async () => {
    const backslash: Quoting = { quote: '"', escape: '\\' };
    expect(await lineEndProblem('"x\\"\n"\r\n1\r\n', backslash)).toBeUndefined();
    expect(await lineEndProblem('"\\""\r\n1\n', backslash)).toEqual({ line: 2, found: 'LF', expected: 'CRLF' });
  });

  it('treats quote characters as data when the format has no quoting', async () => {
    expect(await lineEndProblem('a"b\r\nc\n', NO_QUOTING)).toEqual({ line: 2, found: 'LF', expected: 'CRLF' });
  });

  it('describes the problem for a user', () => {
    expect(describeInconsistentLineEnd({ line: 7, found: 'LF', expected: 'CRLF' })).toBe(
      'line 7 ends with LF but earlier lines end with CRLF; line ends must be consistent',
    );
  });
});
