/**
 * Issue 13 item 6: rules on nested fields (logicalTypeOptions and value-judging quality rules) are
 * row rules on the field's path, failing a row when the field fails in any item of an array. The
 * same five orders are checked as a JSON Lines file and as Parquet; every count is by hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/contracts/model.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

const folder = mkdtempSync(join(tmpdir(), 'nested-field-rules-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const properties = [
  column('order_id', { required: true }),
  {
    name: 'address',
    logicalType: 'object',
    properties: [
      column('zip', { logicalTypeOptions: { pattern: '[0-9]{5}' } }),
      column('country', { quality: [{ metric: 'invalidValues', arguments: { validValues: ['DE', 'FR'] }, mustBe: 0 }] }),
      { name: 'geo', logicalType: 'object', properties: [{ name: 'lat', logicalType: 'number', logicalTypeOptions: { minimum: -90, maximum: 90 } }] },
    ],
  },
  {
    name: 'lines',
    logicalType: 'array',
    items: {
      logicalType: 'object',
      properties: [
        column('sku', { quality: [{ metric: 'nullValues', mustBe: 0 }] }),
        { name: 'qty', logicalType: 'integer', logicalTypeOptions: { minimum: 1 } },
      ],
    },
  },
  { name: 'tags', logicalType: 'array', items: { logicalType: 'string', logicalTypeOptions: { maxLength: 5 } } },
];

const orders = [
  { order_id: 'o1', address: { zip: '12345', country: 'DE', geo: { lat: 50.1 } }, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], tags: ['x'] },
  // Fails zip's pattern, country's valid values, lat's maximum, sku's nullValues (second line), qty's minimum and the tag's maxLength.
  { order_id: 'o2', address: { zip: '1234x', country: 'ES', geo: { lat: 95 } }, lines: [{ sku: 'A', qty: 1 }, { sku: null, qty: 0 }], tags: ['toolong'] },
  // An absent object, an empty array and an absent array hold no field to fail.
  { order_id: 'o3', address: null, lines: [], tags: null },
  // One bad line among good ones fails the row: qty 0; the second tag is too long.
  { order_id: 'o4', address: { zip: '99999', country: 'FR', geo: null }, lines: [{ sku: 'C', qty: 2 }, { sku: 'D', qty: 0 }], tags: ['ok', 'waytoolong'] },
  // A null zip fails no pattern; lat is below its minimum.
  { order_id: 'o5', address: { zip: null, country: 'DE', geo: { lat: -91 } }, lines: [{ sku: 'E', qty: 3 }], tags: ['fine'] },
];

const jsonLines = join(folder, 'orders.jsonl');
writeFileSync(jsonLines, `${orders.map((order) => JSON.stringify(order)).join('\n')}\n`);

async function writeParquet(): Promise<string> {
  const file = join(folder, 'orders.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_json('${jsonLines}')) TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return file;
}

const expected = {
  'address.zip.pattern': { column: 'address.zip', failedCount: 1, rows: [2] },
  'address.country.invalidValues': { column: 'address.country', failedCount: 1, rows: [2] },
  'address.geo.lat.minimum': { column: 'address.geo.lat', failedCount: 1, rows: [5] },
  'address.geo.lat.maximum': { column: 'address.geo.lat', failedCount: 1, rows: [2] },
  'lines[].sku.nullValues': { column: 'lines[].sku', failedCount: 1, rows: [2] },
  'lines[].qty.minimum': { column: 'lines[].qty', failedCount: 2, rows: [2, 4] },
  'tags[].maxLength': { column: 'tags[]', failedCount: 2, rows: [2, 4] },
};

async function nestedResults(dataset: Dataset, file: string) {
  const { report } = await validateFile({ dataset, file, ingestTime: new Date('2026-11-21T06:00:00Z') });
  const nested = report.rules.filter((rule) => rule.column !== null && /[.[]/.test(rule.column));
  return {
    report,
    results: Object.fromEntries(
      nested.map((rule) => [rule.id, { column: rule.column, failedCount: rule.failedCount, rows: rule.samples.map((sample) => sample.row) }]),
    ),
  };
}

describe('rules on nested fields', () => {
  it('checks a JSON Lines file: pattern, valid values and bounds inside objects, any failing item of an array fails its row', async () => {
    const dataset = loadDataset({ properties, format: 'json' });
    const { report, results } = await nestedResults(dataset, jsonLines);
    expect(results).toEqual(expected);
    // Rows 2, 4 and 5 fail; the checks on types and order_id pass.
    expect(report).toMatchObject({ rowCount: 5, passed: false });
    expect(report.rules.filter((rule) => rule.kind === 'type').every((rule) => rule.failedCount === 0)).toBe(true);
  });

  it('checks a Parquet file of the same structs and lists alike', async () => {
    const dataset = loadDataset({ properties, format: 'parquet' });
    const { results } = await nestedResults(dataset, await writeParquet());
    expect(results).toEqual(expected);
  });
});

describe('array options', () => {
  it('checks minItems, maxItems (nulls counted) and uniqueItems (a null is no duplicate) on an array column', async () => {
    const dataset = loadDataset({
      properties: [
        column('basket_id', { required: true }),
        { name: 'skus', logicalType: 'array', logicalTypeOptions: { minItems: 1, maxItems: 3, uniqueItems: true }, items: { logicalType: 'string' } },
      ],
      format: 'json',
    });
    const file = join(folder, 'baskets.jsonl');
    const baskets = [
      { basket_id: 'b1', skus: ['a', 'b'] },
      // Empty: fails minItems.
      { basket_id: 'b2', skus: [] },
      // Four items, nulls included: fails maxItems; the two nulls repeat nothing.
      { basket_id: 'b3', skus: ['a', null, null, 'b'] },
      // 'a' twice: fails uniqueItems.
      { basket_id: 'b4', skus: ['a', 'c', 'a'] },
      // An absent array has no item count.
      { basket_id: 'b5', skus: null },
    ];
    writeFileSync(file, `${baskets.map((basket) => JSON.stringify(basket)).join('\n')}\n`);
    const { report } = await validateFile({ dataset, file, ingestTime: new Date('2026-11-21T06:00:00Z') });
    const results = Object.fromEntries(
      report.rules.filter((rule) => rule.column === 'skus').map((rule) => [rule.id, [rule.failedCount, rule.samples.map((sample) => sample.row)]]),
    );
    expect(results).toEqual({
      'skus.type': [0, []],
      'skus.minItems': [1, [2]],
      'skus.maxItems': [1, [3]],
      'skus.uniqueItems': [1, [4]],
    });
  });
});

describe('array options where they do not apply', () => {
  it('refuses an item option on a string column and a string option on an array column, at the option', () => {
    expect(() => loadDataset({ properties: [column('code', { logicalTypeOptions: { uniqueItems: true } })], format: 'json' })).toThrow(
      /:\d+:\d+: .*logicalTypeOptions\.uniqueItems: uniqueItems applies to array columns only \('code' is string\)/,
    );
    const tags = { name: 'tags', logicalType: 'array', logicalTypeOptions: { pattern: '[a-z]+' }, items: { logicalType: 'string' } };
    expect(() => loadDataset({ properties: [tags], format: 'json' })).toThrow(
      /:\d+:\d+: .*logicalTypeOptions\.pattern: pattern on an array column is not supported \(minItems, maxItems, uniqueItems are\)/,
    );
  });
});

describe('a nested field’s physicalType (second review #1)', () => {
  it('limits the length of a varchar(n) field and checks a uuid field’s format, as on a column', async () => {
    const dataset = loadDataset({
      properties: [
        column('id', { required: true }),
        {
          name: 'addr',
          logicalType: 'object',
          properties: [
            { name: 'code', logicalType: 'string', physicalType: 'varchar(3)' },
            { name: 'ref', logicalType: 'string', physicalType: 'uuid' },
          ],
        },
      ],
      format: 'json',
    });
    const file = join(folder, 'physical.jsonl');
    const rows = [
      { id: 'a', addr: { code: 'ABC', ref: '123e4567-e89b-12d3-a456-426614174000' } },
      // Four letters in a varchar(3); a ref that is no uuid.
      { id: 'b', addr: { code: 'ABCD', ref: 'nope' } },
      { id: 'c', addr: null },
    ];
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const { results } = await nestedResults(dataset, file);
    expect(results).toEqual({
      'addr.code.maxLength': { column: 'addr.code', failedCount: 1, rows: [2] },
      'addr.ref.format': { column: 'addr.ref', failedCount: 1, rows: [2] },
    });
  });
});
