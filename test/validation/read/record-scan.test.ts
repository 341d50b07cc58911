import { describe, expect, it } from 'vitest';
import { describeInconsistentLineEnd, findInconsistentLineEnd, type Quoting } from '../../../lib/validation/read/line-ends.ts';

const CSV_QUOTING: Quoting = { quote: '"', escape: '"' };

/** Feeds the text in chunks of `size` bytes, so state carried across chunk boundaries is exercised. */
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function scan(text: string, quoting: Quoting = CSV_QUOTING) {
  const results = [];
  for (const size of [1, 2, 3, 1024]) results.push(await findInconsistentLineEnd(chunked(text, size), quoting));
  // The answer must not depend on where chunks happen to split the text.
  expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
  return results[0];
}

describe('findInconsistentLineEnd', () => {
  it('accepts consistent LF, CRLF and CR files, with or without a final line end', async () => {
    expect(await scan('a,b\n1,2\n3,4\n')).toBeUndefined();
    expect(await scan('a,b\r\n1,2\r\n3,4')).toBeUndefined();
    expect(await scan('a,b\r1,2\r')).toBeUndefined();
    expect(await scan('')).toBeUndefined();
  });

  it('names the first line whose end differs from the first line end', async () => {
    expect(await scan('a,b\r\n1,2\r\n3,4\n5,6\n')).toEqual({ line: 3, found: 'LF', expected: 'CRLF' });
    expect(await scan('a,b\n1,2\r\n')).toEqual({ line: 2, found: 'CRLF', expected: 'LF' });
    expect(await scan('a,b\n1,2\r3,4\n')).toEqual({ line: 2, found: 'CR', expected: 'LF' });
    expect(await scan('a,b\n1,2\r')).toEqual({ line: 2, found: 'CR', expected: 'LF' });
  });

  it('treats line breaks inside quoted values as data but still counts them as lines', async () => {
    expect(await scan('a,b\r\n1,"x\ny"\r\n2,"say ""hi""\n"\r\n')).toBeUndefined();
    expect(await scan('a,b\r\n1,"x\ny"\r\n2,z\n')).toEqual({ line: 4, found: 'LF', expected: 'CRLF' });
  });

  it('honours an escape character distinct from the quote', async () => {
    const backslash: Quoting = { quote: '"', escape: '\\' };
    expect(await scan('{"a":"x\\"\n"}\r\n{"a":1}\r\n', backslash)).toBeUndefined();
    expect(await scan('{"a":"\\""}\r\n{"a":1}\n', backslash)).toEqual({ line: 2, found: 'LF', expected: 'CRLF' });
  });

  it('treats quote characters as data when the format has no quoting', async () => {
    expect(await scan('a"b\r\nc\n', { quote: '', escape: '' })).toEqual({ line: 2, found: 'LF', expected: 'CRLF' });
  });

  it('describes the problem for a user', () => {
    expect(describeInconsistentLineEnd({ line: 7, found: 'LF', expected: 'CRLF' })).toBe(
      'line 7 ends with LF but earlier lines end with CRLF; line ends must be consistent',
    );
  });
});
