import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { unreadRecords } from '../../../lib/validation/read/text-records.ts';
import { datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

/** Every byte of a text file is accounted for: DuckDB's rows must be the file's records. */
const folder = useScratchFolder();
const connection = useDuckDb();

const MB = 1024 * 1024;
const csvOrders = () => datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS });
const jsonOrders = () => datasetFor(folder(), { format: 'json', columns: ORDER_COLUMNS });
const csvRows = (count: number) => Array.from({ length: count }, (_, index) => `A${index},Ann,${index}\n`).join('');
const jsonRows = (count: number) => Array.from({ length: count }, (_, index) => `{"order_id": "A${index}", "customer": "Ann"}\n`).join('');

async function failureOf(dataset: ReturnType<typeof csvOrders>, name: string, content: string | Uint8Array) {
  const result = await openSource(connection(), dataset, writeData(folder(), name, content));
  if (result.ok) throw new Error(`expected ${name} to fail; it read ${(await rowsOf(connection(), result.relation)).length} rows`);
  return result.failure;
}

describe('a line over the limit is refused wherever it is, with our message', () => {
  // DuckDB 1.5 silently drops a last line over about 32 MB: the file used to pass with 49 rows.
  const lastLine = `A49,${'x'.repeat(33 * MB)},49`;

  it('the last line of a CSV file', async () => {
    expect(await failureOf(csvOrders(), 'last-33mb.csv', `order_id,customer,amount\n${csvRows(49)}${lastLine}\n`)).toEqual({
      kind: 'readable',
      message: 'line 51 is longer than the limit of 2097152 bytes',
      line: 51,
    });
  });

  it('the last line of a gzipped CSV file, without a final line end', async () => {
    const file = gzipSync(`order_id,customer,amount\n${csvRows(49)}${lastLine}`);
    expect(await failureOf(csvOrders(), 'last-33mb.csv.gz', file)).toEqual({
      kind: 'readable',
      message: 'line 51 is longer than the limit of 2097152 bytes',
      line: 51,
    });
  });

  it('the last line of a JSON Lines file', async () => {
    const content = `${jsonRows(49)}{"order_id": "A49", "customer": "${'x'.repeat(33 * MB)}"}\n`;
    expect(await failureOf(jsonOrders(), 'last-33mb.jsonl', content)).toEqual({
      kind: 'readable',
      message: 'line 50 is longer than the limit of 2097152 bytes',
      line: 50,
    });
  });

  it("a line in the middle, where DuckDB would raise its internal 'Parallel CSV Reader' error", async () => {
    const content = `order_id,customer,amount\n${csvRows(10)}${lastLine}\n${csvRows(10)}`;
    expect(await failureOf(csvOrders(), 'middle-33mb.csv', content)).toEqual({
      kind: 'readable',
      message: 'line 12 is longer than the limit of 2097152 bytes',
      line: 12,
    });
  });

  it('a gzip bomb: one 2 GB line is abandoned once past the limit, not decompressed whole', async () => {
    // Gzip members concatenate: 32 copies of 64 MB of 'x' decompress to one 2 GB line from a 2 MB file.
    const member = gzipSync(Buffer.alloc(64 * MB, 'x'));
    const bomb = Buffer.concat([gzipSync('order_id,customer,amount\n'), ...Array.from({ length: 32 }, () => member)]);
    expect(bomb.length).toBeLessThan(4 * MB);

    expect(await failureOf(csvOrders(), 'bomb.csv.gz', bomb)).toEqual({
      kind: 'readable',
      message: 'line 2 is longer than the limit of 2097152 bytes',
      line: 2,
    });
  });
});

describe('every field is accounted for', () => {
  it('a row with trailing empty extra fields is ragged', async () => {
    expect(await failureOf(csvOrders(), 'trailing-empty.csv', 'order_id,customer,amount\nA1,Ann,1\nA2,Bob,2,,\nA3,Cy,3\n')).toEqual({
      kind: 'readable',
      message: 'line 3 has 5 fields; expected 3',
      line: 3,
    });
  });

  it('a row of 100,012 fields is reported with its real field count', async () => {
    const wide = Array.from({ length: 100_012 }, () => 'x').join(',');
    expect(await failureOf(csvOrders(), 'wide.csv', `order_id,customer,amount\nA1,Ann,1\n${wide}\n`)).toEqual({
      kind: 'readable',
      message: 'line 3 has 100012 fields; expected 3',
      line: 3,
    });
  });

  it('a blank line in a CSV file of several columns is ragged, not skipped', async () => {
    expect(await failureOf(csvOrders(), 'blank-line.csv', 'order_id,customer,amount\nA1,Ann,1\n\nA3,Cy,3\n')).toEqual({
      kind: 'readable',
      message: 'line 3 is empty; expected 3 fields',
      line: 3,
    });
  });

  it('a blank line in a one-column CSV file is a row holding NULL', async () => {
    const dataset = datasetFor(folder(), { format: 'csv', columns: [{ name: 'order_id' }] });
    const result = await openSource(connection(), dataset, writeData(folder(), 'one-column.csv', 'order_id\nA1\n\nA3\n'));
    expect(result.ok).toBe(true);
    expect((await rowsOf(connection(), 'source_rows')).map((row) => row['order_id'])).toEqual(['A1', null, 'A3']);
  });

  it('a JSON object without keys is a row', async () => {
    const result = await openSource(connection(), jsonOrders(), writeData(folder(), 'empty-object.jsonl', '{"order_id": "A1", "customer": "Ann"}\n{}\n'));
    expect(result).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toHaveLength(2);
  });
});

describe('unreadRecords', () => {
  const layout = { quoting: { quote: '"', escape: '"' }, maxRecordBytes: MB };

  it('accepts one row per data record', async () => {
    const file = writeData(folder(), 'counted.csv', 'order_id\nA1\n"A\n2"\nA3\n');
    expect(await unreadRecords({ file, gzip: false, layout }, { records: 4, headerRecords: 1, rowsRead: 3 })).toBeUndefined();
  });

  it('names the line of the first record past the rows the reader returned', async () => {
    const file = writeData(folder(), 'short-read.csv', 'order_id\nA1\n"A\n2"\nA3\n');
    expect(await unreadRecords({ file, gzip: false, layout }, { records: 4, headerRecords: 1, rowsRead: 2 })).toEqual({
      kind: 'readable',
      message: 'the file has 3 data records but the reader returned 2 rows; the first record not read starts on line 5',
      line: 5,
    });
  });
});
