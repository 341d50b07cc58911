import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { jsonValue, numberValue } from '../../lib/validation/json-value.ts';
import type { JsonValue } from '../../lib/validation/report.ts';
import { freshConnection } from './helpers/source.ts';

let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await freshConnection();
  // A time zone other than UTC proves timestamps come back in UTC whatever the session says.
  await connection.run("SET TimeZone = 'America/New_York'");
});
afterAll(() => connection.closeSync());

async function converted(sql: string): Promise<JsonValue> {
  const [row] = (await connection.runAndReadAll(`SELECT ${sql}`)).getRows();
  return jsonValue(row![0] ?? null);
}

describe('DuckDB values as JSON', () => {
  it.each<[string, JsonValue]>([
    ['CAST(12 AS BIGINT)', 12],
    ['CAST(9007199254740993 AS BIGINT)', '9007199254740993'],
    ['CAST(12 AS HUGEINT)', 12],
    ['CAST(1.25 AS DECIMAL(10,2))', 1.25],
    ['CAST(0.5 AS DOUBLE)', 0.5],
    ["CAST('nan' AS DOUBLE)", 'NaN'],
    ["DATE '2024-02-29'", '2024-02-29'],
    ["TIMESTAMPTZ '2024-01-01 10:00:00.123+00'", '2024-01-01T10:00:00.123Z'],
    ["TIMESTAMP '1969-12-31 23:59:59.9995'", '1969-12-31T23:59:59.999Z'],
    ["CAST('infinity' AS TIMESTAMP)", 'infinity'],
    ["['a', NULL]", ['a', null]],
    ["{'v0': 1, 'v1': NULL, 'v2': DATE '2024-02-29'}", { v0: 1, v1: null, v2: '2024-02-29' }],
    ["[{'n': 'x'}, {'n': NULL}]", [{ n: 'x' }, { n: null }]],
    ['true', true],
    ["'text'", 'text'],
    ['NULL', null],
  ])('%s is %j', async (sql, expected) => {
    expect(await converted(sql)).toEqual(expected);
  });
});

describe('metrics as numbers', () => {
  it('reads counts, decimals and doubles, and keeps null', () => {
    expect(numberValue(5n)).toBe(5);
    expect(numberValue(2.5)).toBe(2.5);
    expect(numberValue(null)).toBeNull();
  });

  it('refuses what is not a number', () => {
    expect(() => numberValue('five')).toThrow(/expected a number, got "five"/);
    expect(() => numberValue(true)).toThrow(/expected a number/);
  });
});
