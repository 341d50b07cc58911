import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../../lib/local/lake/local-lake.ts';
import { DATABASE, insertOrders, ORDERS, orderRows, useLake } from './helpers.ts';

const fixture = useLake();

/** A connection of a new DuckDB instance on a new `LocalLake` of the same root: what a restarted process sees. */
async function reopened(root: string) {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  return { lake: new LocalLake(root), connection, close: () => (connection.closeSync(), instance.closeSync()) };
}

describe('LocalLake views', () => {
  it('keeps a view after the process that stored it is gone, reading the current snapshot of what it reads', async () => {
    const { root, lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'placed'], [2, 'shipped']]));
    lake.replaceView(DATABASE, 'shipped', `SELECT id, status FROM "${DATABASE}"."orders" WHERE status = 'shipped'`);

    const later = await reopened(root);
    try {
      await later.lake.write(later.connection, DATABASE, 'orders', 'append', insertOrders([[3, 'shipped']]));
      const attached = await attachLake(later.connection, later.lake);
      expect(attached).toContainEqual({ database: DATABASE, table: 'shipped' });
      expect(await orderRows(later.connection, `"${DATABASE}"."shipped"`)).toEqual([
        [2, 'shipped'],
        [3, 'shipped'],
      ]);
    } finally {
      later.close();
    }
  });

  it('replaces a definition, and creates a view reading another whatever their names sort as', async () => {
    const { root, lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    await lake.write(connection, DATABASE, 'orders', 'append', insertOrders([[1, 'placed'], [2, 'shipped']]));
    lake.replaceView(DATABASE, 'z_all', `SELECT id, status FROM "${DATABASE}"."orders"`);
    lake.replaceView(DATABASE, 'a_first', `SELECT id, status FROM "${DATABASE}"."z_all" WHERE id = 1`);
    lake.replaceView(DATABASE, 'z_all', `SELECT id, status FROM "${DATABASE}"."orders" WHERE id = 2`);
    lake.replaceView(DATABASE, 'a_first', `SELECT id, status FROM "${DATABASE}"."z_all"`);

    await attachLake(connection, lake);
    expect(await orderRows(connection, `"${DATABASE}"."a_first"`)).toEqual([[2, 'shipped']]);
    expect(lake.views().map((view) => view.table)).toEqual(['a_first', 'z_all']);
    expect(readdirSync(join(root, 'views', DATABASE)).sort()).toEqual(['a_first.sql', 'z_all.sql']);
  });

  it('names a view that no longer binds, leaving the rest queryable, or throws without onUnreadable', async () => {
    const { lake, connection } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    lake.replaceView(DATABASE, 'broken', `SELECT id FROM "${DATABASE}"."gone"`);
    lake.replaceView(DATABASE, 'fine', `SELECT id FROM "${DATABASE}"."orders"`);

    await expect(attachLake(connection, lake)).rejects.toThrow(`view ${DATABASE}.broken does not bind`);
    const unreadable: string[] = [];
    const attached = await attachLake(connection, lake, { onUnreadable: (name) => unreadable.push(name.table) });
    expect(unreadable).toEqual(['broken']);
    expect(attached.map((name) => name.table)).toEqual(['orders', 'fine']);
  });

  it('keeps tables and views apart, as Glue keeps one name per database', () => {
    const { lake } = fixture();
    lake.createTable(DATABASE, 'orders', ORDERS);
    lake.replaceView(DATABASE, 'recent', `SELECT * FROM "${DATABASE}"."orders"`);
    expect(() => lake.replaceView(DATABASE, 'orders', 'SELECT 1')).toThrow(`${DATABASE}.orders is a table, not a view`);
    expect(() => lake.createTable(DATABASE, 'recent', ORDERS)).toThrow(`${DATABASE}.recent is a view`);
    expect(() => lake.replaceView(DATABASE, 'Bad-Name', 'SELECT 1')).toThrow('is not an Athena name');
  });
});
