import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { columnsOf, datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

const folder = useScratchFolder();
const connection = useDuckDb();

const events = (unknownColumns: 'fail' | 'ignore' = 'fail') => datasetFor(folder(), { format: 'json', columns: ORDER_COLUMNS, unknownColumns });

/** The row number and the values, without the structured-value flags. */
const VALUES = ['_row', 'order_id', 'customer', 'amount'];

const lines = (...objects: readonly string[]) => objects.map((object) => `${object}\n`).join('');

describe('openSource on JSON Lines', () => {
  it('exposes _row (the line number), every value as text, and which values are objects or arrays', async () => {
    const file = writeData(
      folder(),
      'events.jsonl',
      lines(
        '{"order_id": "A1", "customer": "Ann", "amount": 10.25}',
        '{"order_id": 2, "customer": {"name": "Bob", "tags": ["vip"]}, "amount": true}',
        '{"order_id": "A3", "customer": null}',
      ),
    );

    expect(await openSource(connection(), events(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await columnsOf(connection(), 'source_rows')).toEqual([
      '_row BIGINT',
      'order_id VARCHAR',
      '__structured__order_id BOOLEAN',
      'customer VARCHAR',
      '__structured__customer BOOLEAN',
      'amount VARCHAR',
      '__structured__amount BOOLEAN',
    ]);
    expect(await rowsOf(connection(), 'source_rows', VALUES)).toEqual([
      { _row: 1, order_id: 'A1', customer: 'Ann', amount: '10.25' },
      { _row: 2, order_id: '2', customer: '{"name":"Bob","tags":["vip"]}', amount: 'true' },
      { _row: 3, order_id: 'A3', customer: null, amount: null },
    ]);
    expect((await rowsOf(connection(), 'source_rows')).map((row) => row['__structured__customer'])).toEqual([false, true, false]);
  });

  it('keeps integers beyond 64 bits as written', async () => {
    const file = writeData(folder(), 'big-number.jsonl', lines('{"order_id": 123456789012345678901234567890, "customer": "Ann"}'));

    await openSource(connection(), events(), file);

    expect((await rowsOf(connection(), 'source_rows'))[0]).toMatchObject({ order_id: '123456789012345678901234567890' });
  });

  it('reads .ndjson and gzip-compressed files', async () => {
    const content = lines('{"order_id": "A1", "customer": "Ann"}', '{"order_id": "A2", "customer": "Bob"}');
    for (const [name, bytes] of [
      ['events.ndjson', Buffer.from(content)],
      ['events.jsonl.gz', gzipSync(content)],
      ['events.json.gz', gzipSync(content)],
    ] as const) {
      expect(await openSource(connection(), events(), writeData(folder(), name, bytes))).toEqual({ ok: true, relation: 'source_rows' });
      expect((await rowsOf(connection(), 'source_rows')).map((row) => [row['_row'], row['order_id'], row['customer']])).toEqual([
        [1, 'A1', 'Ann'],
        [2, 'A2', 'Bob'],
      ]);
    }
  });

  it('reads a UTF-8 byte-order mark and CRLF line ends without leaking them into values', async () => {
    const file = writeData(folder(), 'bom-crlf.jsonl', '\uFEFF{"order_id": "A1", "customer": "Zoë"}\r\n{"order_id": "A2", "customer": "Bob"}\r\n');

    expect(await openSource(connection(), events(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows', VALUES)).toEqual([
      { _row: 1, order_id: 'A1', customer: 'Zoë', amount: null },
      { _row: 2, order_id: 'A2', customer: 'Bob', amount: null },
    ]);
  });

  it('accepts an optional column absent from every line (writers leave out nulls)', async () => {
    const file = writeData(folder(), 'no-amount.jsonl', lines('{"order_id": "A1", "customer": "Ann"}'));

    expect(await openSource(connection(), events(), file)).toEqual({ ok: true, relation: 'source_rows' });
  });

  it('drops keys the contract does not declare when unknownColumns is ignore', async () => {
    const file = writeData(folder(), 'extra-ignored.jsonl', lines('{"order_id": "A1", "customer": "Ann", "channel": "web"}'));

    await openSource(connection(), events('ignore'), file);

    expect(await rowsOf(connection(), 'source_rows', VALUES)).toEqual([{ _row: 1, order_id: 'A1', customer: 'Ann', amount: null }]);
  });
});

describe('openSource on bad JSON Lines input', () => {
  async function failureFor(name: string, content: string | Uint8Array, unknownColumns: 'fail' | 'ignore' = 'fail') {
    const result = await openSource(connection(), events(unknownColumns), writeData(folder(), name, content));
    if (result.ok) throw new Error(`expected ${name} to fail`);
    return result.failure;
  }

  it('an empty file', async () => {
    expect(await failureFor('empty.jsonl', '')).toEqual({ kind: 'readable', message: 'file is empty' });
  });

  it('an unexpected key under unknownColumns: fail, naming the first line it is on', async () => {
    const content = lines('{"order_id": "A1", "customer": "Ann"}', '{"order_id": "A2", "customer": "Bob", "channel": "web"}', '{"order_id": "A3", "customer": "Cy", "channel": "app"}');

    expect(await failureFor('extra.jsonl', content)).toEqual({
      kind: 'schema',
      message: "key 'channel' (first on line 2) is not in the contract",
      line: 2,
    });
  });

  it('a misspelled key, even under unknownColumns: ignore', async () => {
    const content = lines('{"order_id": "A1", "customer": "Ann"}', '{"order_id": "A2", "customer": "Bob", "amout": 3}');

    expect(await failureFor('misspelled.jsonl', content, 'ignore')).toEqual({
      kind: 'schema',
      message: "key 'amout' (first on line 2) is not in the contract (did you mean 'amount'?)",
      line: 2,
    });
  });

  it('a key that differs from the contract only in case', async () => {
    expect(await failureFor('case.jsonl', lines('{"Order_ID": "A1", "customer": "Ann"}'))).toEqual({
      kind: 'schema',
      message: "key 'Order_ID' (first on line 1) is not in the contract (did you mean 'order_id'?)",
      line: 1,
    });
  });

  it('a required column that is a key on no line', async () => {
    expect(await failureFor('missing.jsonl', lines('{"order_id": "A1", "amount": 1}'))).toEqual({
      kind: 'schema',
      message: "missing key 'customer'",
    });
  });

  it('a line that is not valid JSON', async () => {
    const content = lines('{"order_id": "A1", "customer": "Ann"}', '{"order_id": "A2", "customer": "Bob"', '{"order_id": "A3", "customer": "Cy"}');

    expect(await failureFor('malformed.jsonl', content)).toEqual({
      kind: 'readable',
      message: 'line 2 is not valid JSON (unexpected end of data at byte 36)',
      line: 2,
    });
  });

  it('a line that is not JSON at all', async () => {
    expect(await failureFor('text-line.jsonl', lines('{"order_id": "A1", "customer": "Ann"}', 'order A2 for Bob'))).toEqual({
      kind: 'readable',
      message: 'line 2 is not valid JSON (unexpected character at byte 0)',
      line: 2,
    });
  });

  it('a line that is JSON but not an object', async () => {
    expect(await failureFor('array-line.jsonl', lines('{"order_id": "A1", "customer": "Ann"}', '["A2", "Bob"]'))).toEqual({
      kind: 'readable',
      message: 'line 2 is not a JSON object',
      line: 2,
    });
  });

  it('a blank line', async () => {
    expect(await failureFor('blank-line.jsonl', lines('{"order_id": "A1", "customer": "Ann"}', '', '{"order_id": "A3", "customer": "Cy"}'))).toEqual({
      kind: 'readable',
      message: 'line 2 is empty; JSON Lines needs one object per line',
      line: 2,
    });
  });

  it('a JSON array document', async () => {
    expect(await failureFor('array.json', '[\n  {"order_id": "A1", "customer": "Ann"}\n]\n')).toEqual({
      kind: 'readable',
      message: 'file is a JSON array; expected JSON Lines (one object per line)',
      line: 1,
    });
  });

  it('a UTF-16 byte-order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"order_id": "A1"}\n', 'utf16le').swap16()]);

    expect(await failureFor('utf16.jsonl', utf16)).toEqual({ kind: 'readable', message: 'file is UTF-16 encoded; expected UTF-8' });
  });

  it('invalid UTF-8 in a value', async () => {
    const bytes = Buffer.concat([Buffer.from('{"order_id": "A1", "customer": "Ann"}\n{"order_id": "A2", "customer": "B'), Buffer.from([0xe9]), Buffer.from('b"}\n')]);

    expect(await failureFor('latin.jsonl', bytes)).toEqual({ kind: 'readable', message: 'line 2 is not valid UTF-8', line: 2 });
  });

  it('mixed LF and CRLF line ends', async () => {
    const content = '{"order_id": "A1", "customer": "a\\"b"}\r\n{"order_id": "A2", "customer": "Bob"}\n{"order_id": "A3", "customer": "Cy"}\r\n';

    expect(await failureFor('mixed.jsonl', content)).toEqual({
      kind: 'readable',
      message: 'line 2 ends with LF but earlier lines end with CRLF; line ends must be consistent',
      line: 2,
    });
  });

  it('truncated gzip', async () => {
    const whole = gzipSync(lines(...Array.from({ length: 20_000 }, (_, index) => `{"order_id": "A${index}", "customer": "c${index}"}`)));

    expect(await failureFor('truncated.jsonl.gz', whole.subarray(0, whole.length - 100))).toEqual({
      kind: 'readable',
      message: 'gzip data is truncated or corrupt (unexpected end of file)',
    });
  });

  it('a 10 MB single line', async () => {
    const hugeLine = `{"order_id": "A2", "customer": "${'x'.repeat(10 * 1024 * 1024)}"}`;

    expect(await failureFor('huge-line.jsonl', lines('{"order_id": "A1", "customer": "Ann"}', hugeLine))).toEqual({
      kind: 'readable',
      message: 'line 2 is longer than the limit of 2097152 bytes',
      line: 2,
    });
  });

  it('a CSV file given to a JSON contract', async () => {
    expect(await failureFor('events.csv', 'order_id,customer\nA1,Ann\n')).toEqual({
      kind: 'readable',
      message: "file format 'csv' (from the extension) is not what the contract declares ('json')",
    });
  });
});
