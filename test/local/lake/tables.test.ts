import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { LakeError } from '../../../lib/local/lake/lake-errors.ts';
import { DATABASE, ORDERS, query, useLake } from './helpers.ts';

const fixture = useLake();

describe('LocalLake tables', () => {
  it('creates a table whose first snapshot is an empty, typed create commit', async () => {
    const { lake, connection } = fixture();
    const before = Date.now();
    const created = lake.createTable(DATABASE, 'orders', ORDERS);

    expect(Date.parse(created.committedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(created.committedAt)).toBeLessThanOrEqual(Date.now());
    expect(created).toMatchObject({
      formatVersion: 1,
      parentSnapshotId: null,
      sequence: 1,
      operation: 'create',
      summary: { addedFiles: 0, removedFiles: 0, totalRows: 0 },
      schema: ORDERS,
      files: [],
    });
    expect(Number.isSafeInteger(created.snapshotId) && created.snapshotId > 0).toBe(true);
    expect(lake.currentSnapshot(DATABASE, 'orders')).toEqual(created);

    await attachLake(connection, lake);
    expect(await query(connection, `SELECT count(*)::INTEGER AS n FROM "${DATABASE}"."orders"`)).toEqual([{ n: 0 }]);
    const described = await query(connection, `DESCRIBE "${DATABASE}"."orders"`);
    expect(described.map((row) => [row['column_name'], row['column_type']])).toEqual([
      ['id', 'INTEGER'],
      ['status', 'VARCHAR'],
    ]);
  });

  it('lists tables by database and table name and ignores folders that hold no commit', () => {
    const { lake } = fixture();
    lake.createTable('acme_dev_sales', 'orders', ORDERS);
    lake.createTable('acme_dev_sales', 'customers_v2', ORDERS);
    lake.createTable('acme_dev_crm', 'contacts', ORDERS);
    mkdirSync(lake.tableDirectory('acme_dev_crm', 'half_made'), { recursive: true });

    expect(lake.tables()).toEqual([
      { database: 'acme_dev_crm', table: 'contacts' },
      { database: 'acme_dev_sales', table: 'customers_v2' },
      { database: 'acme_dev_sales', table: 'orders' },
    ]);
  });

  it('refuses to create a table twice unless asked ifNotExists, which keeps the existing schema', () => {
    const { lake } = fixture();
    const created = lake.createTable(DATABASE, 'orders', ORDERS);

    expect(() => lake.createTable(DATABASE, 'orders', ORDERS)).toThrow(/table acme_dev_sales\.orders already exists/);
    expect(lake.createTable(DATABASE, 'orders', [{ name: 'other', type: 'DATE' }], { ifNotExists: true })).toEqual(created);
    expect(lake.snapshots(DATABASE, 'orders')).toHaveLength(1);
  });

  it.each([
    ['Orders', 'table'],
    ['orders$snapshots', 'table'],
    ['orders@1', 'table'],
    ['../orders', 'table'],
    ['', 'table'],
  ])('rejects the table name %j', (table, kind) => {
    const { lake } = fixture();
    expect(() => lake.createTable(DATABASE, table, ORDERS)).toThrow(new RegExp(`${kind} name .* is not an Athena name`));
  });

  it('rejects a database name that is not an Athena name', () => {
    const { lake } = fixture();
    expect(() => lake.createTable('acme-dev-sales', 'orders', ORDERS)).toThrow(/database name 'acme-dev-sales'/);
  });

  it.each([
    [[], /at least one column/],
    [[{ name: '', type: 'INTEGER' }], /must not be empty/],
    [[{ name: 'id', type: 'INTEGER' }, { name: 'ID', type: 'VARCHAR' }], /column 'ID' already exists/],
    [[{ name: 'id', type: 'INTEGER); DROP TABLE x; --' }], /is not a DuckDB type name/],
  ])('rejects bad columns %#', (columns, message) => {
    const { lake } = fixture();
    expect(() => lake.createTable(DATABASE, 'orders', columns)).toThrow(message);
    expect(lake.tables()).toEqual([]);
  });

  it('accepts the DuckDB type names contracts produce', async () => {
    const { lake, connection } = fixture();
    const columns = [
      { name: 'amount', type: 'DECIMAL(12, 2)' },
      { name: 'placed_at', type: 'TIMESTAMP WITH TIME ZONE' },
      { name: 'tags', type: 'VARCHAR[]' },
    ];
    lake.createTable(DATABASE, 'typed', columns);
    await attachLake(connection, lake);
    const described = await query(connection, `DESCRIBE "${DATABASE}"."typed"`);
    expect(described.map((row) => row['column_type'])).toEqual(['DECIMAL(12,2)', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR[]']);
  });

  it('names a missing table in its error', () => {
    const { lake } = fixture();
    expect(() => lake.currentSnapshot(DATABASE, 'nope')).toThrow(LakeError);
    expect(() => lake.snapshots(DATABASE, 'nope')).toThrow(/table acme_dev_sales\.nope does not exist in the lake at /);
  });
});
