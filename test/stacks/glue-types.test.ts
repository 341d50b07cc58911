import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { glueColumnType } from '../../lib/constructs/glue-column-type.ts';
import { glueComment, rawColumns, validatedColumns } from '../../lib/constructs/glue-columns.ts';
import { rawStorageFormat } from '../../lib/constructs/raw-storage-format.ts';
import { ContractError } from '../../lib/contracts/problems.ts';
import { column, dataset, typedOrders } from './fixtures.ts';

describe('glueColumnType', () => {
  it.each([
    [{ kind: 'string' } as const, 'string'],
    [{ kind: 'boolean' } as const, 'boolean'],
    [{ kind: 'integer', bits: 8 } as const, 'tinyint'],
    [{ kind: 'integer', bits: 16 } as const, 'smallint'],
    [{ kind: 'integer', bits: 32 } as const, 'int'],
    [{ kind: 'integer', bits: 64 } as const, 'bigint'],
    [{ kind: 'double' } as const, 'double'],
    [{ kind: 'decimal', precision: 38, scale: 0 } as const, 'decimal(38,0)'],
    [{ kind: 'decimal', precision: 10, scale: 10 } as const, 'decimal(10,10)'],
    [{ kind: 'date' } as const, 'date'],
    [{ kind: 'timestamp' } as const, 'timestamp'],
  ])('maps %j to %s', (type, glueType) => {
    expect(glueColumnType(type)).toBe(glueType);
  });

  it.each([
    [0, 0],
    [39, 2],
    [10, 11],
    [10, -1],
    [10.5, 2],
  ])('rejects decimal(%d,%d)', (precision, scale) => {
    expect(() => glueColumnType({ kind: 'decimal', precision, scale })).toThrow(/is not a Glue type/);
  });
});

describe('glue columns', () => {
  it('reads text formats as strings but Parquet with its contract types', () => {
    expect(rawColumns(typedOrders).map((c) => c.type)).toEqual(Array(10).fill('string'));
    expect(rawColumns({ ...typedOrders, format: 'parquet' }).map((c) => c.type)).toEqual([
      'string',
      'int',
      'smallint',
      'tinyint',
      'bigint',
      'decimal(12,2)',
      'double',
      'boolean',
      'date',
      'timestamp',
    ]);
  });

  it('declares a time column of a Parquet raw table as the INT64 a Parquet TIME is, and as the text the validated table holds', async () => {
    const times = {
      ...dataset('sales', 'shifts', {
        columns: [column('starts', { kind: 'time' }), column('slot', { kind: 'struct', fields: [{ name: 'ends', nameInFile: 'ends', type: { kind: 'time' }, required: false }] })],
      }),
      format: 'parquet' as const,
    };
    expect(rawColumns(times).map((c) => c.type)).toEqual(['bigint', 'struct<ends:bigint>']);
    expect(validatedColumns(times).slice(0, 2).map((c) => c.type)).toEqual(['string', 'struct<ends:string>']);
    // What a Parquet TIME holds (DuckDB's, as pyarrow's time64): INT64 microseconds, which Athena's
    // Parquet reader gives a bigint column and refuses to a string one.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const file = join(mkdtempSync(join(tmpdir(), 'time-parquet-')), 'times.parquet');
    await connection.run(`COPY (SELECT TIME '12:34:56.5' AS starts, {'ends': TIME '13:00:00'} AS slot) TO '${file}' (FORMAT parquet)`);
    const schema = (await connection.runAndReadAll(`SELECT name, type, logical_type FROM parquet_schema('${file}') WHERE type IS NOT NULL`)).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    rmSync(dirname(file), { recursive: true, force: true });
    expect(schema.map(({ name, type, logical_type }) => [name, type, String(logical_type).startsWith('TimeType(')])).toEqual([
      ['starts', 'INT64', true],
      ['ends', 'INT64', true],
    ]);
  });

  it('adds file_id and _row to the validated columns', () => {
    expect(validatedColumns(dataset('sales', 'orders')).map((c) => [c.name, c.type])).toEqual([
      ['id', 'string'],
      ['file_id', 'string'],
      ['_row', 'bigint'],
    ]);
  });

  it.each(['file_id', '_row', 'ingest_date'])('refuses a contract column named %s, pointing at the contract', (name) => {
    const clashing = dataset('sales', 'orders', { columns: [column(name, { kind: 'string' })] });
    expect(() => validatedColumns(clashing)).toThrow(ContractError);
    expect(() => validatedColumns(clashing)).toThrow(
      `contracts/test/test.yaml:10:7: dataset 'sales/orders': column '${name}' collides with a column the lakehouse adds`,
    );
  });

  it('turns descriptions into one-line comments within Glue limits', () => {
    expect(glueComment(undefined)).toBeUndefined();
    expect(glueComment('  \n ')).toBeUndefined();
    expect(glueComment('Amount\n  in EUR.')).toBe('Amount in EUR.');
    const long = glueComment('x'.repeat(300));
    expect(long).toHaveLength(255);
    expect(long?.endsWith('…')).toBe(true);
    expect(glueComment('y'.repeat(255))).toBe('y'.repeat(255));
  });
});

describe('rawStorageFormat', () => {
  it('maps each JSON key that is not its column\'s lakehouse name, comparing keys as written', () => {
    const csv = { delimiter: ',', quote: '"', escape: '"', header: true };
    const columns = [
      column('id', { kind: 'string' }),
      { ...column('unit_price', { kind: 'double' }), nameInFile: 'Unit Price' },
      { ...column('orderid', { kind: 'string' }), nameInFile: 'OrderID' },
    ];
    expect(rawStorageFormat({ format: 'json', csv, columns }).serdeParameters).toEqual({
      'case.insensitive': 'FALSE',
      'mapping.unit_price': 'Unit Price',
      'mapping.orderid': 'OrderID',
    });
  });

  it('reads RFC 4180 CSV with OpenCSVSerde, skipping the header, without an escape equal to the quote', () => {
    expect(rawStorageFormat(dataset('sales', 'orders'))).toMatchObject({
      serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
      serdeParameters: { separatorChar: ',', quoteChar: '"' },
      tableParameters: { classification: 'csv', 'skip.header.line.count': '1' },
    });
    expect(rawStorageFormat(dataset('sales', 'orders')).serdeParameters).not.toHaveProperty('escapeChar');
  });

  it("passes the contract's own delimiter, quote and escape, and reads headerless files from line 1", () => {
    const format = rawStorageFormat({ format: 'csv', csv: { delimiter: '\t', quote: "'", escape: '\\', header: false }, columns: [] });
    expect(format.serdeParameters).toEqual({ separatorChar: '\t', quoteChar: "'", escapeChar: '\\' });
    expect(format.tableParameters).toEqual({ classification: 'csv' });
  });

  it('reads JSON Lines with the OpenX JSON SerDe and Parquet with the Parquet SerDe', () => {
    const csv = { delimiter: ',', quote: '"', escape: '"', header: true };
    expect(rawStorageFormat({ format: 'json', csv, columns: [column('id', { kind: 'string' })] })).toMatchObject({
      serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      serdeParameters: {},
    });
    expect(rawStorageFormat({ format: 'parquet', csv, columns: [] })).toMatchObject({
      serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      tableParameters: { classification: 'parquet' },
    });
  });
});
