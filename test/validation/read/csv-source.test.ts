import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { columnsOf, datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

const folder = useScratchFolder();
const connection = useDuckDb();

const orders = () => datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS });

describe('openSource on CSV', () => {
  it('exposes _row and the contract columns as VARCHAR, numbering data rows from 1', async () => {
    const file = writeData(folder(), 'orders.csv', 'order_id,customer,amount\nA1,Ann,10.5\nA2,"Bob, Jr.",\n');

    const result = await openSource(connection(), orders(), file);

    expect(result).toEqual({ ok: true, relation: 'source_rows' });
    expect(await columnsOf(connection(), 'source_rows')).toEqual(['_row BIGINT', 'order_id VARCHAR', 'customer VARCHAR', 'amount VARCHAR']);
    expect(await rowsOf(connection(), 'source_rows')).toEqual([
      { _row: 1, order_id: 'A1', customer: 'Ann', amount: '10.5' },
      { _row: 2, order_id: 'A2', customer: 'Bob, Jr.', amount: null },
    ]);
  });

  it('keeps a quoted empty value as an empty string and an unquoted empty value as NULL', async () => {
    const file = writeData(folder(), 'empty-values.csv', 'order_id,customer,amount\nA1,"",\n');

    await openSource(connection(), orders(), file);

    expect(await rowsOf(connection(), 'source_rows')).toEqual([{ _row: 1, order_id: 'A1', customer: '', amount: null }]);
  });

  it("reads with the contract's delimiter, quote and escape", async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, csv: { delimiter: ';', quote: "'", escape: '\\' } });
    const file = writeData(folder(), 'semicolon.csv', "order_id;customer;amount\nA1;'O\\'Brien; Pat';3\nA2;\"quoted\";4\n");

    expect(await openSource(connection(), dataset, file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([
      { _row: 1, order_id: 'A1', customer: "O'Brien; Pat", amount: '3' },
      { _row: 2, order_id: 'A2', customer: '"quoted"', amount: '4' },
    ]);
  });

  it('reads a quote inside an unquoted value as an ordinary character', async () => {
    const file = writeData(folder(), 'inch.csv', 'order_id,customer,amount\nA1,5" screen,1\nA2,Bob,2\n');

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect((await rowsOf(connection(), 'source_rows')).map((row) => row['customer'])).toEqual(['5" screen', 'Bob']);
  });

  it('reads a file without a header by position', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, csv: { header: false } });
    const file = writeData(folder(), 'no-header.csv', 'A1,Ann,1\nA2,Bob,2\n');

    await openSource(connection(), dataset, file);

    expect(await rowsOf(connection(), 'source_rows')).toEqual([
      { _row: 1, order_id: 'A1', customer: 'Ann', amount: '1' },
      { _row: 2, order_id: 'A2', customer: 'Bob', amount: '2' },
    ]);
  });

  it('reads a gzip-compressed file', async () => {
    const file = writeData(folder(), 'orders.csv.gz', gzipSync('order_id,customer,amount\nA1,Ann,1\nA2,Bob,2\nA3,Cy,3\n'));

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect((await rowsOf(connection(), 'source_rows')).map((row) => [row['_row'], row['order_id']])).toEqual([
      [1, 'A1'],
      [2, 'A2'],
      [3, 'A3'],
    ]);
  });

  it('reads a UTF-8 byte-order mark and CRLF line ends without leaking them into values', async () => {
    const file = writeData(folder(), 'bom-crlf.csv', '\uFEFForder_id,customer,amount\r\nA1,"Zoë\r\nsecond line",1\r\nA2,Bob,2\r\n');

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([
      { _row: 1, order_id: 'A1', customer: 'Zoë\r\nsecond line', amount: '1' },
      { _row: 2, order_id: 'A2', customer: 'Bob', amount: '2' },
    ]);
  });

  it('reads a quoted value right after a UTF-8 byte-order mark as quoted', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, csv: { header: false } });
    const file = writeData(folder(), 'bom-quote.csv', '\uFEFF"A,1",Ann,1\n');

    expect(await openSource(connection(), dataset, file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([{ _row: 1, order_id: 'A,1', customer: 'Ann', amount: '1' }]);
  });

  it('opens a header-only file as an empty relation (the rowCount rule decides)', async () => {
    const file = writeData(folder(), 'header-only.csv', 'order_id,customer,amount\n');

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([]);
  });

  it('drops columns the contract does not declare when unknownColumns is ignore', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, unknownColumns: 'ignore' });
    const file = writeData(folder(), 'extra-ignored.csv', 'order_id,channel,customer,amount\nA1,web,Ann,1\n');

    await openSource(connection(), dataset, file);

    expect(await rowsOf(connection(), 'source_rows')).toEqual([{ _row: 1, order_id: 'A1', customer: 'Ann', amount: '1' }]);
  });

  it('drops the nameless column a trailing delimiter makes when unknownColumns is ignore', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, unknownColumns: 'ignore' });
    const file = writeData(folder(), 'trailing-delimiter.csv', 'order_id,customer,amount,\nA1,Ann,1,\n');

    expect(await openSource(connection(), dataset, file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toEqual([{ _row: 1, order_id: 'A1', customer: 'Ann', amount: '1' }]);
  });

  it('uses the relation name it is given', async () => {
    const file = writeData(folder(), 'named.csv', 'order_id,customer,amount\nA1,Ann,1\n');

    expect(await openSource(connection(), orders(), file, { relationName: 'incoming' })).toEqual({ ok: true, relation: 'incoming' });
    expect(await rowsOf(connection(), 'incoming')).toHaveLength(1);
  });
});

describe('openSource on bad CSV input', () => {
  async function failureFor(name: string, content: string | Uint8Array, options?: { maxLineBytes?: number }) {
    const result = await openSource(connection(), orders(), writeData(folder(), name, content), options);
    if (result.ok) throw new Error(`expected ${name} to fail`);
    return result.failure;
  }

  it('an empty file', async () => {
    expect(await failureFor('empty.csv', '')).toEqual({ kind: 'readable', message: 'file is empty' });
  });

  it('a gzip file holding nothing', async () => {
    expect(await failureFor('empty.csv.gz', gzipSync(''))).toEqual({ kind: 'readable', message: 'file is empty' });
  });

  it('a missing column', async () => {
    expect(await failureFor('missing.csv', 'order_id,customer\nA1,Ann\n')).toEqual({
      kind: 'schema',
      message: "missing column 'amount'",
      line: 1,
    });
  });

  it('a reordered header', async () => {
    expect(await failureFor('reordered.csv', 'order_id,amount,customer\nA1,1,Ann\n')).toEqual({
      kind: 'schema',
      message: "columns are not in the contract's order: expected order_id, customer, amount; found order_id, amount, customer",
      line: 1,
    });
  });

  it('a misspelled header', async () => {
    expect(await failureFor('misspelled.csv', 'order_id,custmer,amount\nA1,Ann,1\n')).toEqual({
      kind: 'schema',
      message: "column 'custmer' is not in the contract (did you mean 'customer'?)",
      line: 1,
    });
  });

  it('an unexpected extra column under unknownColumns: fail', async () => {
    expect(await failureFor('extra.csv', 'order_id,customer,amount,channel\nA1,Ann,1,web\n')).toEqual({
      kind: 'schema',
      message: "column 'channel' is not in the contract",
      line: 1,
    });
  });

  it('a column named twice in the header', async () => {
    expect(await failureFor('twice.csv', 'order_id,customer,amount,amount\nA1,Ann,1,2\n')).toEqual({
      kind: 'schema',
      message: "column 'amount' appears 2 times",
      line: 1,
    });
  });

  it('a UTF-16 byte-order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('order_id,customer,amount\nA1,Ann,1\n', 'utf16le')]);

    expect(await failureFor('utf16.csv', utf16)).toEqual({ kind: 'readable', message: 'file is UTF-16 encoded; expected UTF-8' });
  });

  it('mixed LF and CRLF line ends', async () => {
    expect(await failureFor('mixed.csv', 'order_id,customer,amount\r\nA1,Ann,1\r\nA2,"Bob",2\nA3,Cy,3\r\n')).toEqual({
      kind: 'readable',
      message: 'line 3 ends with LF but earlier lines end with CRLF; line ends must be consistent',
      line: 3,
    });
  });

  it('an unclosed quote', async () => {
    expect(await failureFor('unclosed.csv', 'order_id,customer,amount\nA1,Ann,1\nA2,"Bob,2\nA3,Cy,3\n')).toEqual({
      kind: 'readable',
      message: 'line 3 has a quoted value that is never closed',
      line: 3,
    });
  });

  it('a row with too many fields', async () => {
    expect(await failureFor('too-many.csv', 'order_id,customer,amount\nA1,Ann,1\nA2,Bob,2,x\n')).toEqual({
      kind: 'readable',
      message: 'line 3 has 4 fields; expected 3',
      line: 3,
    });
  });

  it('a row with too few fields', async () => {
    expect(await failureFor('too-few.csv', 'order_id,customer,amount\nA1,Ann\nA2,Bob,2\n')).toEqual({
      kind: 'readable',
      message: 'line 2 has 2 fields; expected 3',
      line: 2,
    });
  });

  it('invalid UTF-8 in a value', async () => {
    const bytes = Buffer.concat([Buffer.from('order_id,customer,amount\nA1,Ann,1\nA2,B'), Buffer.from([0xff, 0xfe]), Buffer.from('b,2\n')]);

    expect(await failureFor('latin.csv', bytes)).toEqual({ kind: 'readable', message: 'line 3 is not valid UTF-8', line: 3 });
  });

  it('invalid UTF-8 in a column the contract ignores, leaving the DuckDB instance usable', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS, unknownColumns: 'ignore' });
    const bytes = Buffer.concat([Buffer.from('order_id,customer,amount,note\nA1,Ann,1,ok\nA2,Bob,2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);

    const result = await openSource(connection(), dataset, writeData(folder(), 'latin-ignored.csv', bytes));

    expect(result).toEqual({ ok: false, failure: { kind: 'readable', message: 'line 3 is not valid UTF-8', line: 3 } });
    expect((await connection().runAndReadAll('SELECT 42 AS answer')).getRowObjectsJS()).toEqual([{ answer: 42 }]);
  });

  it('invalid UTF-8 in the header', async () => {
    const bytes = Buffer.concat([Buffer.from('order_id,cust'), Buffer.from([0xe9]), Buffer.from(',amount\nA1,Ann,1\n')]);

    expect(await failureFor('latin-header.csv', bytes)).toEqual({ kind: 'readable', message: 'line 1 is not valid UTF-8', line: 1 });
  });

  it('truncated gzip', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => `A${index},customer ${index},${index}`).join('\n');
    const whole = gzipSync(`order_id,customer,amount\n${rows}\n`);

    expect(await failureFor('truncated.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)))).toEqual({
      kind: 'readable',
      message: 'gzip data is truncated or corrupt (unexpected end of file)',
    });
  });

  it('plain text named .csv.gz', async () => {
    expect(await failureFor('not-gzip.csv.gz', 'order_id,customer,amount\n')).toEqual({
      kind: 'readable',
      message: 'gzip data is truncated or corrupt (incorrect header check)',
    });
  });

  it('a 10 MB single line', async () => {
    const hugeLine = `A2,${'x'.repeat(10 * 1024 * 1024)},2`;

    expect(await failureFor('huge-line.csv', `order_id,customer,amount\nA1,Ann,1\n${hugeLine}\nA3,Cy,3\n`)).toEqual({
      kind: 'readable',
      message: 'line 3 is longer than the limit of 2097152 bytes',
      line: 3,
    });
  });

  it('a line longer than a custom maxLineBytes', async () => {
    const failure = await failureFor('long-line.csv', `order_id,customer,amount\nA1,${'y'.repeat(5000)},1\n`, { maxLineBytes: 4096 });

    expect(failure).toEqual({ kind: 'readable', message: 'line 2 is longer than the limit of 4096 bytes', line: 2 });
  });

  it('a header longer than the header read limit', async () => {
    const failure = await failureFor('wide-header.csv', `order_id,customer,amount,${'z'.repeat(70 * 1024)}\nA1,Ann,1,2\n`);

    expect(failure).toEqual({ kind: 'readable', message: 'line 1 (the header) is longer than 65536 bytes', line: 1 });
  });

  it('a Parquet file given to a CSV contract', async () => {
    expect(await failureFor('orders.parquet', 'PAR1')).toEqual({
      kind: 'readable',
      message: "file format 'parquet' (from the extension) is not what the contract declares ('csv')",
    });
  });

  it('leaves no relation behind when a later file fails', async () => {
    await openSource(connection(), orders(), writeData(folder(), 'good.csv', 'order_id,customer,amount\nA1,Ann,1\n'));
    await failureFor('bad-after-good.csv', 'order_id,customer\nA1,Ann\n');

    await expect(connection().run('SELECT * FROM source_rows')).rejects.toThrow(/source_rows/);
  });
});
