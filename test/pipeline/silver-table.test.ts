import { describe, expect, it } from 'vitest';
import { silverColumns, silverLakeColumns, silverPartitionSpec, silverTableDdl } from '../../lib/pipeline/silver-table.ts';
import { column, dataset, typedOrders } from '../stacks/fixtures.ts';

const partitioned = dataset('sales', 'orders', {
  columns: [
    column('order_id', { kind: 'string' }),
    column('region', { kind: 'string' }),
    column('order_ts', { kind: 'timestamp' }),
    column('order_date', { kind: 'date' }),
  ],
  partitionColumns: ['region', 'order_date'],
});

describe('the silver table', () => {
  it('has every contract column, then file_id, _row, ingest_date, _ingested_at and _source_id', () => {
    expect(silverColumns(typedOrders).map((c) => c.name)).toEqual([
      ...typedOrders.columns.map((c) => c.name),
      'file_id',
      '_row',
      'ingest_date',
      '_ingested_at',
      '_source_id',
    ]);
  });

  it('widens integers Iceberg lacks and stores timestamps without a zone, in each engine', () => {
    const byName = Object.fromEntries(silverColumns(typedOrders).map((c) => [c.name, [c.type, c.athenaType, c.duckdbType]]));
    expect(byName).toMatchObject({
      quantity: ['int', 'integer', 'INTEGER'],
      line_count: ['int', 'integer', 'INTEGER'],
      flags: ['int', 'integer', 'INTEGER'],
      views: ['bigint', 'bigint', 'BIGINT'],
      amount: ['decimal(12,2)', 'decimal(12,2)', 'DECIMAL(12,2)'],
      order_ts: ['timestamp', 'timestamp(6)', 'TIMESTAMP'],
      _row: ['bigint', 'bigint', 'BIGINT'],
      ingest_date: ['date', 'date', 'DATE'],
      _ingested_at: ['timestamp', 'timestamp(6)', 'TIMESTAMP'],
      _source_id: ['string', 'varchar', 'VARCHAR'],
    });
    expect(silverLakeColumns(typedOrders)).toContainEqual({ name: 'gift', type: 'BOOLEAN' });
  });

  it('partitions by day for dates and timestamps and by value otherwise, in contract order', () => {
    expect(silverPartitionSpec(partitioned)).toEqual(['`region`', 'day(`order_date`)']);
  });

  it('is created by an Iceberg CREATE TABLE IF NOT EXISTS at its own silver location', () => {
    expect(silverTableDdl(partitioned, { database: 'acme_dev_sales', silverBucket: 'acme-dev-silver-1-eu' })).toBe(
      [
        'CREATE TABLE IF NOT EXISTS `acme_dev_sales`.`orders` (',
        '  `order_id` string,',
        '  `region` string,',
        '  `order_ts` timestamp,',
        '  `order_date` date,',
        '  `file_id` string,',
        '  `_row` bigint,',
        '  `ingest_date` date,',
        '  `_ingested_at` timestamp,',
        '  `_source_id` string',
        ')',
        'PARTITIONED BY (`region`, day(`order_date`))',
        "LOCATION 's3://acme-dev-silver-1-eu/sales/orders/'",
        "TBLPROPERTIES ('table_type'='ICEBERG')",
      ].join('\n'),
    );
  });

  it('has no PARTITIONED BY when the contract declares no partition', () => {
    expect(silverTableDdl(typedOrders, { database: 'db', silverBucket: 'b' })).not.toContain('PARTITIONED BY');
  });

  it('refuses a contract column named like a lineage column, and a partition column it does not have', () => {
    const clash = dataset('sales', 'orders', { columns: [column('file_id', { kind: 'string' })] });
    expect(() => silverColumns(clash)).toThrow(/'sales\/orders': column 'file_id' collides with a column the lakehouse adds/);
    const missing = dataset('sales', 'orders', { partitionColumns: ['nowhere'] });
    expect(() => silverPartitionSpec(missing)).toThrow(/partition column 'nowhere' is not one of its columns/);
  });
});
