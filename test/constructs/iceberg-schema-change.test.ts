import { describe, expect, it } from 'vitest';
import {
  addColumnsStatement,
  NonAdditiveSchemaChangeError,
  normalizeType,
  planSchemaChange,
} from '../../lib/pipeline/iceberg-schema-change.ts';
import { silverColumns } from '../../lib/pipeline/silver-table.ts';
import { column, dataset } from '../stacks/fixtures.ts';

const table = [
  { name: 'order_id', type: 'string' },
  { name: 'amount', type: 'decimal(12,2)' },
  { name: 'file_id', type: 'string' },
];

describe('planSchemaChange', () => {
  it('leaves a table alone when it already has the contract columns, whatever the spelling of names and types', () => {
    const desired = [
      { name: 'ORDER_ID', type: 'STRING' },
      { name: 'file_id', type: 'string' },
      { name: 'amount', type: 'DECIMAL(12, 2)' },
    ];
    expect(planSchemaChange('db.orders', table, desired)).toEqual({ kind: 'unchanged' });
  });

  it('adds the new contract columns in contract order', () => {
    const desired = [
      { name: 'order_id', type: 'string' },
      { name: 'channel', type: 'string' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'quantity', type: 'int' },
      { name: 'file_id', type: 'string' },
    ];
    expect(planSchemaChange('db.orders', table, desired)).toEqual({
      kind: 'add-columns',
      columns: [
        { name: 'channel', type: 'string' },
        { name: 'quantity', type: 'int' },
      ],
    });
  });

  it('refuses a type change and a removed column, naming both and the way out', () => {
    const desired = [
      { name: 'order_id', type: 'bigint' },
      { name: 'file_id', type: 'string' },
    ];
    let error: unknown;
    try {
      planSchemaChange('db.orders', table, desired);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(NonAdditiveSchemaChangeError);
    const problems = (error as NonAdditiveSchemaChangeError).problems;
    expect(problems).toEqual([
      "column 'order_id' is string in the table but bigint in the contract",
      "column 'amount' (decimal(12,2)) is in the table but no longer in the contract",
    ]);
    expect((error as Error).message).toMatch(/^Iceberg table db\.orders cannot follow its contract: .*new major version/);
  });

  it('treats a widened decimal as a change, not an addition', () => {
    expect(() => planSchemaChange('db.orders', table, [...table.slice(0, 1), { name: 'amount', type: 'decimal(14,2)' }, table[2]!])).toThrow(
      /'amount' is decimal\(12,2\) in the table but decimal\(14,2\)/,
    );
  });

  it('plans exactly the column a new contract version adds to a silver table', () => {
    const before = dataset('sales', 'orders', { columns: [column('id', { kind: 'string' })] });
    const after = dataset('sales', 'orders', {
      columns: [column('id', { kind: 'string' }), column('total', { kind: 'decimal', precision: 10, scale: 2 })],
    });
    const current = silverColumns(before).map(({ name, type }) => ({ name, type }));
    const desired = silverColumns(after).map(({ name, type }) => ({ name, type }));
    expect(planSchemaChange('db.orders', current, desired)).toEqual({ kind: 'add-columns', columns: [{ name: 'total', type: 'decimal(10,2)' }] });
  });
});

describe('normalizeType', () => {
  it.each([
    ['INT', 'int'],
    ['integer', 'int'],
    ['Decimal(10, 2)', 'decimal(10,2)'],
    ['timestamp', 'timestamp'],
  ])('%s is %s', (type, normalized) => {
    expect(normalizeType(type)).toBe(normalized);
  });
});

describe('addColumnsStatement', () => {
  it('quotes names the Hive way and keeps the types', () => {
    expect(
      addColumnsStatement('acme_dev_sales', 'orders', [
        { name: 'channel', type: 'string' },
        { name: 'odd`name', type: 'decimal(10,2)' },
      ]),
    ).toBe('ALTER TABLE `acme_dev_sales`.`orders` ADD COLUMNS (`channel` string, `odd``name` decimal(10,2))');
  });

  it('refuses to render an empty addition', () => {
    expect(() => addColumnsStatement('db', 't', [])).toThrow(/no columns to add to db\.t/);
  });
});
