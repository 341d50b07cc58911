/**
 * Issue 13 item 6: object, array and time columns as each engine spells them (DuckDB and Athena
 * DML, the Athena DDL of the Iceberg silver table, Glue, the local lake), and the DuckDB parse of a
 * nested JSON value, run on DuckDB.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glueColumnType } from '../../lib/constructs/glue-column-type.ts';
import type { ColumnType } from '../../lib/contracts/model.ts';
import { nestedFieldRows } from '../../lib/docs/nested-field-rows.ts';
import { isDuckDbTypeName } from '../../lib/local/lake/duckdb-type-name.ts';
import { silverColumns, silverTableDdl } from '../../lib/pipeline/silver-table.ts';
import { athena } from '../../lib/sql/athena.ts';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { jsonValue } from '../../lib/validation/json-value.ts';
import type { JsonValue } from '../../lib/validation/report.ts';
import { column, dataset } from '../stacks/fixtures.ts';
import { freshConnection } from '../validation/helpers/source.ts';

const address: ColumnType = {
  kind: 'struct',
  fields: [
    { name: 'street', nameInFile: 'Street', type: { kind: 'string' }, required: true },
    { name: 'zip', nameInFile: 'zip', type: { kind: 'integer', bits: 16 }, required: false },
    { name: 'seen_at', nameInFile: 'seen_at', type: { kind: 'timestamp' }, required: false },
  ],
};
const lines: ColumnType = {
  kind: 'list',
  element: {
    kind: 'struct',
    fields: [
      { name: 'sku', nameInFile: 'sku', type: { kind: 'string' }, required: true },
      { name: 'price', nameInFile: 'price', type: { kind: 'decimal', precision: 6, scale: 2 }, required: true },
    ],
  },
};
const tags: ColumnType = { kind: 'list', element: { kind: 'string' } };
const time: ColumnType = { kind: 'time' };

describe('type rendering', () => {
  it('DuckDB: STRUCT with quoted field names, T[] lists, time as its text', () => {
    expect(duckdb.type(address)).toBe('STRUCT("street" VARCHAR, "zip" SMALLINT, "seen_at" TIMESTAMPTZ)');
    expect(duckdb.type(lines)).toBe('STRUCT("sku" VARCHAR, "price" DECIMAL(6,2))[]');
    expect(duckdb.type(tags)).toBe('VARCHAR[]');
    expect(duckdb.type(time)).toBe('VARCHAR');
  });

  it('Athena DML: row(...) and array(...), time as varchar', () => {
    expect(athena.type(address)).toBe('row("street" varchar, "zip" smallint, "seen_at" timestamp(3) with time zone)');
    expect(athena.type(lines)).toBe('array(row("sku" varchar, "price" decimal(6,2)))');
    expect(athena.type(time)).toBe('varchar');
  });

  it('the Iceberg silver table: struct<...> and array<...> in the DDL, Iceberg-widened integers, time as string', () => {
    const parcels = dataset('post', 'parcels', {
      columns: [column('address', address), column('lines', lines), column('tags', tags), column('cutoff', time)],
    });
    const byName = Object.fromEntries(silverColumns(parcels).map((c) => [c.name, [c.type, c.athenaType, c.duckdbType]]));
    expect(byName).toMatchObject({
      address: [
        'struct<street:string,zip:int,seen_at:timestamp>',
        'row("street" varchar, "zip" integer, "seen_at" timestamp(6))',
        'STRUCT("street" VARCHAR, "zip" INTEGER, "seen_at" TIMESTAMP)',
      ],
      lines: ['array<struct<sku:string,price:decimal(6,2)>>', 'array(row("sku" varchar, "price" decimal(6,2)))', 'STRUCT("sku" VARCHAR, "price" DECIMAL(6,2))[]'],
      tags: ['array<string>', 'array(varchar)', 'VARCHAR[]'],
      cutoff: ['string', 'varchar', 'VARCHAR'],
    });
    expect(silverTableDdl(parcels, { database: 'acme_dev_post', silverBucket: 'silver' })).toContain(
      '  `address` struct<street:string,zip:int,seen_at:timestamp>,\n  `lines` array<struct<sku:string,price:decimal(6,2)>>,\n  `tags` array<string>,\n  `cutoff` string,',
    );
  });

  it('Glue (the validated table): the validated Parquet struct and list, time as string', () => {
    expect(glueColumnType(address)).toBe('struct<street:string,zip:smallint,seen_at:timestamp>');
    expect(glueColumnType(lines)).toBe('array<struct<sku:string,price:decimal(6,2)>>');
    expect(glueColumnType(time)).toBe('string');
  });

  it('the local lake accepts nested DuckDB type names and nothing that could carry other SQL', () => {
    for (const type of [duckdb.type(address), duckdb.type(lines), 'VARCHAR[][]', 'DECIMAL(6,2)', 'STRUCT("a ""b""" INTEGER)']) {
      expect(isDuckDbTypeName(type), type).toBe(true);
    }
    for (const type of ['STRUCT(a INTEGER)', 'STRUCT("a" INTEGER); DROP TABLE x', 'STRUCT("a" INTEGER', 'STRUCT()', 'INTEGER)', 'VARCHAR -- x']) {
      expect(isDuckDbTypeName(type), type).toBe(false);
    }
  });

  it('the docs list nested fields under their column, by path and depth', () => {
    expect(nestedFieldRows(lines)).toEqual([
      { path: '[].sku', type: 'string', required: true, depth: 1 },
      { path: '[].price', type: 'decimal(6,2)', required: true, depth: 1 },
    ]);
    expect(nestedFieldRows({ kind: 'struct', fields: [{ name: 'box', nameInFile: 'box', type: address, required: false }] }).map((row) => [row.path, row.depth])).toEqual([
      ['box', 1],
      ['box.street', 2],
      ['box.zip', 2],
      ['box.seen_at', 2],
    ]);
  });
});

describe('DuckDB parse of a nested JSON value: exact shape or NULL', () => {
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await freshConnection();
    await connection.run("SET TimeZone = 'UTC'");
  });
  afterAll(() => connection.closeSync());

  async function parsed(text: string, type: ColumnType): Promise<JsonValue> {
    const rows = (await connection.runAndReadAll(`SELECT ${duckdb.parse(duckdb.string(text), type)}`)).getRows();
    return jsonValue(rows[0]![0] ?? null);
  }

  it.each<[string, string, ColumnType, JsonValue]>([
    ['an object, read by the names in the file', '{"Street":"Main 1","zip":1000}', address, { street: 'Main 1', zip: 1000, seen_at: null }],
    ['a timestamp field with an offset, as UTC', '{"Street":"s","seen_at":"2026-01-01T10:00:00+02:00"}', address, { street: 's', zip: null, seen_at: '2026-01-01T08:00:00.000Z' }],
    ['a required field absent', '{"zip":1000}', address, null],
    ['a required field null', '{"Street":null}', address, null],
    ['a number as text (DuckDB alone converts it)', '{"Street":"s","zip":"1000"}', address, null],
    ['a fraction for an integer (DuckDB alone rounds it)', '{"Street":"s","zip":1.5}', address, null],
    ['an integer beyond the field width', '{"Street":"s","zip":70000}', address, null],
    ['an array for an object', '["s"]', address, null],
    ['a list of objects, null elements kept', '[{"sku":"a","price":1.25},null]', lines, [{ sku: 'a', price: 1.25 }, null]],
    ['an empty list', '[]', lines, []],
    ['digits beyond the decimal scale in an element', '[{"sku":"a","price":1.255}]', lines, null],
    ['a scalar element of the wrong type', '["a",2]', tags, null],
    ['an object for a list', '{"a":1}', tags, null],
  ])('%s', async (_, text, type, expected) => {
    expect(await parsed(text, type)).toEqual(expected);
  });

  it.each<[string, JsonValue]>([
    ['09:30:00', '09:30:00'],
    ['23:59:59.123456', '23:59:59.123456'],
    ['24:00:00', null],
    ['9:30:00', null],
    ['09:30', null],
    ['09:30:00.1234567', null],
  ])('time %s', async (text, expected) => {
    expect(await parsed(text, time)).toEqual(expected);
  });

  it('a Parquet TIME value converts to its text', async () => {
    const rows = (await connection.runAndReadAll(`SELECT ${duckdb.convert("TIME '07:05:00.5'", time)}`)).getRows();
    expect(jsonValue(rows[0]![0] ?? null)).toBe('07:05:00.5');
  });
});
