import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../../lib/validation/read/open-source.ts';
import { datasetFor, ORDER_COLUMNS, rowsOf, useDuckDb, useScratchFolder, writeData } from './helpers.ts';

const folder = useScratchFolder();
const connection = useDuckDb();

const orders = () => datasetFor(folder(), { format: 'csv', columns: ORDER_COLUMNS });

describe('openSource', () => {
  it('refuses an extension it cannot read', async () => {
    expect(await openSource(connection(), orders(), writeData(folder(), 'orders.txt', 'order_id\n'))).toEqual({
      ok: false,
      failure: {
        kind: 'readable',
        message: `cannot tell the file format from the name '${join(folder(), 'orders.txt')}'; expected .csv, .jsonl, .ndjson, .json (each optionally .gz) or .parquet`,
      },
    });
  });

  it('reports a file that does not exist', async () => {
    const missing = join(folder(), 'nowhere.csv');
    expect(await openSource(connection(), orders(), missing)).toEqual({
      ok: false,
      failure: { kind: 'readable', message: `file '${missing}' does not exist or cannot be read` },
    });
  });

  it('replaces the relation of an earlier file opened under the same name', async () => {
    await openSource(connection(), orders(), writeData(folder(), 'first.csv', 'order_id,customer,amount\nA1,Ann,1\n'));
    await openSource(connection(), orders(), writeData(folder(), 'second.csv', 'order_id,customer,amount\nB1,Bo,2\nB2,Cy,3\n'));

    expect((await rowsOf(connection(), 'source_rows')).map((row) => row['order_id'])).toEqual(['B1', 'B2']);
  });

  it("quotes a file path containing the SQL string quote", async () => {
    const file = writeData(folder(), "o'brien.csv", 'order_id,customer,amount\nA1,Ann,1\n');

    expect(await openSource(connection(), orders(), file)).toEqual({ ok: true, relation: 'source_rows' });
    expect(await rowsOf(connection(), 'source_rows')).toHaveLength(1);
  });
});
