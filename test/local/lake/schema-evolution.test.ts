import { describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { DATABASE, ORDERS, insertOrders, query, useLake } from './helpers.ts';

const fixture = useLake();
const ORDERS_VIEW = `"${DATABASE}"."orders"`;

describe('LocalLake.addColumns', () => {
  it('adds columns without rewriting files; rows of older files read them as null', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const loaded = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));

    const evolved = lake.addColumns(DATABASE, 'orders', [
      { name: 'amount', type: 'DECIMAL(10,2)' },
      { name: 'channel', type: 'VARCHAR' },
    ]);
    expect(evolved).toMatchObject({
      operation: 'add-columns',
      parentSnapshotId: loaded.snapshotId,
      files: loaded.files,
      summary: { addedFiles: 0, removedFiles: 0, totalRows: 1 },
    });
    expect(evolved.schema.map((column) => column.name)).toEqual(['id', 'status', 'amount', 'channel']);

    await attachLake(connection, lake);
    expect(await query(connection, `SELECT id, status, amount::VARCHAR AS amount, channel FROM ${ORDERS_VIEW}`)).toEqual([
      { id: 1, status: 'new', amount: null, channel: null },
    ]);

    await lake.write(connection, DATABASE, 'orders', 'append', "INSERT INTO {{target}} VALUES (2, 'paid', 12.5, 'web')");
    expect(
      await query(connection, `SELECT id, status, amount::VARCHAR AS amount, channel FROM ${ORDERS_VIEW} ORDER BY id`),
    ).toEqual([
      { id: 1, status: 'new', amount: null, channel: null },
      { id: 2, status: 'paid', amount: '12.50', channel: 'web' },
    ]);
    const described = await query(connection, `DESCRIBE ${ORDERS_VIEW}`);
    expect(described.map((row) => row['column_type'])).toEqual(['INTEGER', 'VARCHAR', 'DECIMAL(10,2)', 'VARCHAR']);
  });

  it('lets a rewrite fill a new column on old rows', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    lake.addColumns(DATABASE, 'orders', [{ name: 'channel', type: 'VARCHAR' }]);

    await lake.write(connection, DATABASE, 'orders', 'merge', "UPDATE {{target}} SET channel = 'store'");
    expect(await query(connection, `SELECT id, channel FROM ${ORDERS_VIEW}`)).toEqual([{ id: 1, channel: 'store' }]);
  });

  it('keeps earlier snapshots readable in their own schema', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    const before = await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'new']]));
    lake.addColumns(DATABASE, 'orders', [{ name: 'channel', type: 'VARCHAR' }]);

    await attachLake(connection, lake);
    const described = await query(connection, `DESCRIBE "${DATABASE}"."orders@${before.snapshotId}"`);
    expect(described.map((row) => row['column_name'])).toEqual(['id', 'status']);
  });

  it('is additive only: an existing column, even in another case, is refused', () => {
    const { lake } = fixture();
    const created = lake.createTable(DATABASE, 'orders', ORDERS);
    expect(() => lake.addColumns(DATABASE, 'orders', [{ name: 'Status', type: 'INTEGER' }])).toThrow(
      /column 'Status' already exists/,
    );
    expect(() => lake.addColumns(DATABASE, 'orders', [])).toThrow(/at least one column/);
    expect(lake.snapshots(DATABASE, 'orders')).toEqual([created]);
  });
});
