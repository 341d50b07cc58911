import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonValue } from '../../lib/validation/json-value.ts';
import type { JsonValue } from '../../lib/validation/report.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset, type ContractSpec } from './helpers/dataset.ts';

/** Values are never changed silently: a value that does not fit its column exactly is a `type` failure. */
const folder = mkdtempSync(join(tmpdir(), 'exact-values-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const properties = [
  column('id', { primaryKey: true }),
  column('qty', { logicalType: 'integer' }),
  column('price', { logicalType: 'number', physicalType: 'decimal(12,2)' }),
];
const quarantineRows = [{ property: 'onViolation', value: 'quarantine-rows' }];
const dataset = (format: ContractSpec['format']) => loadDataset({ properties, customProperties: quarantineRows, format });

async function readParquet(file: string): Promise<Record<string, JsonValue>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT id, qty, price FROM read_parquet('${file}') ORDER BY _row`);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, jsonValue(value)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function writeParquet(name: string, select: string): Promise<string> {
  const file = join(folder, name);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return file;
}

async function validate(format: ContractSpec['format'], file: string, outName: string) {
  const outDir = join(folder, outName);
  const { report, outputs } = await validateFile({ dataset: dataset(format), file, outDir, ingestTime: new Date('2026-11-21T06:00:00Z') });
  const rule = (id: string) => report.rules.find((candidate) => candidate.id === id);
  return { report, rule, validated: outputs.validated === undefined ? [] : await readParquet(outputs.validated) };
}

describe('values that do not fit their column exactly are type failures, never rounded', () => {
  it('CSV: digits beyond a decimal scale and a fraction for an integer', async () => {
    const file = join(folder, 'items.csv');
    writeFileSync(file, 'id,qty,price\nA,2,19.01\nB,3,19.009\nC,2.5,1.5\nD,9223372036854775808,1\n');

    const { report, rule, validated } = await validate('csv', file, 'csv-out');

    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2, value: '19.009' }] });
    expect(rule('qty.type')).toMatchObject({ passed: false, failedCount: 2, samples: [{ row: 3, value: '2.5' }, { row: 4, value: '9223372036854775808' }] });
    expect(report).toMatchObject({ rowCount: 4, rowsPassed: 1, rowsQuarantined: 3 });
    expect(validated).toEqual([{ id: 'A', qty: 2, price: 19.01 }]);
  });

  it('Parquet: a DOUBLE 2.5 for an integer and 19.009 for a decimal(12,2)', async () => {
    const file = await writeParquet(
      'items.parquet',
      `SELECT * FROM (VALUES ('A', 2.0::DOUBLE, 19.01::DOUBLE), ('B', 2.5::DOUBLE, 1.0::DOUBLE), ('C', 3.0::DOUBLE, 19.009::DOUBLE)) t(id, qty, price)`,
    );

    const { report, rule, validated } = await validate('parquet', file, 'parquet-out');

    expect(rule('qty.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2, value: 2.5 }] });
    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 3, value: 19.009 }] });
    expect(report).toMatchObject({ rowCount: 3, rowsPassed: 1, rowsQuarantined: 2 });
    expect(validated).toEqual([{ id: 'A', qty: 2, price: 19.01 }]);
  });

  it('Parquet: a DECIMAL(12,3) with a third fraction digit for a decimal(12,2)', async () => {
    const file = await writeParquet(
      'items-decimal.parquet',
      `SELECT * FROM (VALUES ('A', 1::BIGINT, 19.010::DECIMAL(12,3)), ('B', 2::BIGINT, 19.009::DECIMAL(12,3))) t(id, qty, price)`,
    );

    const { rule, validated } = await validate('parquet', file, 'parquet-decimal-out');

    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2, value: 19.009 }] });
    expect(validated).toEqual([{ id: 'A', qty: 1, price: 19.01 }]);
  });
});

describe('JSON Lines values carry their own type', () => {
  it('an object or array where a scalar is expected is a type failure, not JSON text', async () => {
    const file = join(folder, 'items.jsonl');
    writeFileSync(
      file,
      [
        '{"id": "A", "qty": 1, "price": 2.5}',
        '{"id": {"nested": "B"}, "qty": 2, "price": 1}',
        '{"id": "C", "qty": [3], "price": 1}',
        '{"id": ["D"], "qty": 4, "price": 19.009}',
      ].join('\n'),
    );

    const { report, rule, validated } = await validate('json', file, 'json-out');

    expect(rule('id.type')).toMatchObject({ passed: false, failedCount: 2, samples: [{ row: 2, value: '{"nested":"B"}' }, { row: 4, value: '["D"]' }] });
    expect(rule('qty.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 3, value: '[3]' }] });
    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 4, value: '19.009' }] });
    expect(report).toMatchObject({ rowCount: 4, rowsPassed: 1, rowsQuarantined: 3 });
    expect(validated).toEqual([{ id: 'A', qty: 1, price: 2.5 }]);
  });
});

describe('JSON Lines numbers reach their column as written', () => {
  const textProperties = [column('id', { primaryKey: true }), column('code', { logicalTypeOptions: { pattern: '-?[0-9]+(\\.[0-9]+)?(e[0-9]+)?' } })];

  it('a number keeps its literal: 1.50, 1e2 and -0 are their own text for a string column', async () => {
    const file = join(folder, 'codes.jsonl');
    writeFileSync(
      file,
      ['{"id": "A", "code": 1.50}', '{"id": "B", "code": 1e2}', '{"id": "C", "code": -0}', '{"id": "D", "code": "x"}', '{"id": "E", "code": 7}'].join('\n'),
    );
    const outDir = join(folder, 'codes-out');
    const dataset = loadDataset({ properties: textProperties, customProperties: quarantineRows, format: 'json' });
    const { report, outputs } = await validateFile({ dataset, file, outDir, ingestTime: new Date('2026-11-21T06:00:00Z') });

    expect(report.rules.find((rule) => rule.id === 'code.pattern')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 4, value: 'x' }] });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const stored = await connection.runAndReadAll(`SELECT code FROM read_parquet('${outputs.validated}') ORDER BY _row`);
    expect(stored.getRows().map(([code]) => code)).toEqual(['1.50', '1e2', '-0', '7']);
    connection.closeSync();
    instance.closeSync();
  });

  it('digits beyond a decimal scale and integers beyond 64 bits are type failures, not rounded', async () => {
    const file = join(folder, 'numbers.jsonl');
    writeFileSync(
      file,
      [
        '{"id": "A", "qty": 2, "price": 1.50}',
        '{"id": "B", "qty": 1e2, "price": 19.009}',
        '{"id": "C", "qty": 12345678901234567890, "price": 1}',
        '{"id": "D", "qty": 123456789012345678901, "price": 1}',
        '{"id": "E", "qty": -0, "price": 19.0000000000000000001}',
        '{"id": "F", "qty": 3, "price": 2.00}',
      ].join('\n'),
    );

    const { report, rule, validated } = await validate('json', file, 'numbers-out');

    expect(rule('price.type')).toMatchObject({
      passed: false,
      failedCount: 2,
      samples: [
        { row: 2, value: '19.009' },
        { row: 5, value: '19.0000000000000000001' },
      ],
    });
    expect(rule('qty.type')).toMatchObject({
      passed: false,
      failedCount: 3,
      samples: [
        { row: 2, value: '1e2' },
        { row: 3, value: '12345678901234567890' },
        { row: 4, value: '123456789012345678901' },
      ],
    });
    expect(report).toMatchObject({ rowCount: 6, rowsPassed: 2, rowsQuarantined: 4 });
    expect(validated).toEqual([
      { id: 'A', qty: 2, price: 1.5 },
      { id: 'F', qty: 3, price: 2 },
    ]);
  });

  it('a number whose literal the reader cannot locate is a type failure, not its reformatted value', async () => {
    // The key is written escaped, so its literal is not found by name.
    const file = join(folder, 'hidden.jsonl');
    writeFileSync(file, ['{"id": "A", "qty": 1, "price": 1.50}', '{"id": "B", "qty": 1, "\\u0070rice": 1.50}'].join('\n'));

    const { rule, validated } = await validate('json', file, 'hidden-out');

    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2 }] });
    expect(validated).toEqual([{ id: 'A', qty: 1, price: 1.5 }]);
  });
});

describe('Parquet nested values are type failures for a scalar column', () => {
  it('a LIST, STRUCT or MAP for a string, integer or decimal column fails `type` on each non-null row', async () => {
    const file = await writeParquet(
      'nested.parquet',
      `SELECT * FROM (VALUES (['a'], [1, 2], {'p': 1.5}), (NULL, NULL, NULL), ([], [3], {'p': 2.0})) t(code, qty, price)`,
    );
    const mapFile = await writeParquet('nested-map.parquet', `SELECT MAP {'k': 'v'} AS id, 1 AS qty, 1.5 AS price UNION ALL SELECT NULL, 2, 2.5`);
    const dataset = loadDataset({
      properties: [column('code'), column('qty', { logicalType: 'integer' }), column('price', { logicalType: 'number', physicalType: 'decimal(12,2)' })],
      customProperties: quarantineRows,
      format: 'parquet',
    });
    const { report, outputs } = await validateFile({ dataset, file, outDir: join(folder, 'nested-out'), ingestTime: new Date('2026-11-21T06:00:00Z') });
    const rule = (id: string) => report.rules.find((candidate) => candidate.id === id);

    expect(rule('code.type')).toMatchObject({ passed: false, failedCount: 2, samples: [{ row: 1, value: '["a"]' }, { row: 3, value: '[]' }] });
    expect(rule('qty.type')).toMatchObject({ passed: false, failedCount: 2, samples: [{ row: 1, value: '[1,2]' }, { row: 3, value: '[3]' }] });
    expect(rule('price.type')).toMatchObject({ passed: false, failedCount: 2, samples: [{ row: 1, value: '{"p":1.5}' }, { row: 3 }] });
    expect(report).toMatchObject({ rowCount: 3, rowsPassed: 1, rowsQuarantined: 2 });
    expect(outputs.validated).toBeDefined();

    const mapped = await validate('parquet', mapFile, 'nested-map-out');
    expect(mapped.rule('id.type')).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 1, value: '{"k":"v"}' }] });
    expect(mapped.report).toMatchObject({ rowCount: 2, rowsQuarantined: 2 });
  });
});
