import { describe, expect, it } from 'vitest';
import { fileKindOf } from '../../../lib/validation/read/file-kind.ts';
import { foreignEncodingOf, withoutUtf8Bom } from '../../../lib/validation/read/text-encoding.ts';

describe('fileKindOf', () => {
  it('maps each readable extension, in any case, to a format and compression', () => {
    expect(fileKindOf('in/orders.csv')).toEqual({ format: 'csv', gzip: false });
    expect(fileKindOf('in/ORDERS.CSV.GZ')).toEqual({ format: 'csv', gzip: true });
    expect(fileKindOf('a.jsonl')).toEqual({ format: 'json', gzip: false });
    expect(fileKindOf('a.ndjson.gz')).toEqual({ format: 'json', gzip: true });
    expect(fileKindOf('a.json')).toEqual({ format: 'json', gzip: false });
    expect(fileKindOf('a.2024-01-01.parquet')).toEqual({ format: 'parquet', gzip: false });
  });

  it('reads nothing else', () => {
    for (const name of ['a.txt', 'a.gz', 'a.parquet.gz', 'csv', 'a.csv.zip', 'a.tsv']) expect(fileKindOf(name)).toBeUndefined();
  });
});

describe('text encodings', () => {
  it('recognises UTF-16 and UTF-32 byte-order marks, and nothing in plain text', () => {
    expect(foreignEncodingOf(Buffer.from([0xff, 0xfe, 0x69, 0x00]))).toBe('UTF-16');
    expect(foreignEncodingOf(Buffer.from([0xfe, 0xff, 0x00, 0x69]))).toBe('UTF-16');
    expect(foreignEncodingOf(Buffer.from([0xff, 0xfe, 0x00, 0x00]))).toBe('UTF-32');
    expect(foreignEncodingOf(Buffer.from('\uFEFFid,name'))).toBeUndefined();
    expect(foreignEncodingOf(Buffer.from('id'))).toBeUndefined();
  });

  it('removes only a leading UTF-8 byte-order mark', () => {
    expect(withoutUtf8Bom(Buffer.from('\uFEFFid')).toString()).toBe('id');
    expect(withoutUtf8Bom(Buffer.from('id\uFEFF')).toString()).toBe('id\uFEFF');
  });
});
