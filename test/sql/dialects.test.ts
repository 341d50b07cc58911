import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnType } from '../../lib/contracts/model.ts';
import { athena } from '../../lib/sql/athena.ts';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { valueLiteral } from '../../lib/sql/value-literal.ts';
import { jsonValue } from '../../lib/validation/json-value.ts';
import type { JsonValue } from '../../lib/validation/report.ts';
import { freshConnection } from '../validation/helpers/source.ts';

const int64: ColumnType = { kind: 'integer', bits: 64 };
const int8: ColumnType = { kind: 'integer', bits: 8 };
const decimal52: ColumnType = { kind: 'decimal', precision: 5, scale: 2 };
const date: ColumnType = { kind: 'date' };
const timestamp: ColumnType = { kind: 'timestamp' };
const boolean: ColumnType = { kind: 'boolean' };
const double: ColumnType = { kind: 'double' };

let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await freshConnection();
  await connection.run("SET TimeZone = 'UTC'");
});
afterAll(() => connection.closeSync());

async function value(sql: string): Promise<JsonValue> {
  const rows = (await connection.runAndReadAll(`SELECT ${sql}`)).getRows();
  return jsonValue(rows[0]![0] ?? null);
}

describe('duckdb parse: text to the contract type, NULL when it is not one', () => {
  it.each<[string, ColumnType, string, JsonValue]>([
    ['integer', int64, '12', 12],
    ['integer with spaces and sign', int64, ' +12 ', 12],
    ['negative integer', int64, '-7', -7],
    ['integer with a fraction (DuckDB alone rounds it)', int64, '1.5', null],
    ['hex integer (DuckDB alone reads it)', int64, '0x10', null],
    ['integer with exponent', int64, '1e3', null],
    ['integer with digit separator', int64, '1_000', null],
    ['integer beyond 64 bits', int64, '9223372036854775808', null],
    ['integer beyond 8 bits', int8, '300', null],
    ['empty text as integer', int64, '', null],
    ['boolean true', boolean, 'TRUE', true],
    ['boolean t', boolean, 't', true],
    ['boolean 0', boolean, '0', false],
    ['boolean yes (DuckDB alone takes it)', boolean, 'yes', null],
    ['double with exponent', double, '1e3', 1000],
    ['double garbage', double, 'abc', null],
    ['decimal within its scale', decimal52, ' -1.23 ', -1.23],
    ['decimal with trailing zeros beyond its scale', decimal52, '1.2300', 1.23],
    ['decimal with leading zeros', decimal52, '000123.4', 123.4],
    ['decimal without integer digits', decimal52, '.5', 0.5],
    ['decimal with digits beyond its scale (a cast alone rounds it)', decimal52, '1.234', null],
    ['decimal 19.009 at scale 2 (a cast alone gives 19.01)', { kind: 'decimal', precision: 12, scale: 2 }, '19.009', null],
    ['decimal beyond its precision', decimal52, '123456', null],
    ['decimal with one integer digit too many', decimal52, '1234.5', null],
    ['decimal with an exponent', decimal52, '1e2', null],
    ['decimal of only a point', decimal52, '.', null],
    ['decimal with comma', decimal52, '1,50', null],
    ['decimal(2,2) holds only a fraction', { kind: 'decimal', precision: 2, scale: 2 }, '0.25', 0.25],
    ['decimal(2,2) refuses an integer digit', { kind: 'decimal', precision: 2, scale: 2 }, '1.25', null],
    ['decimal(3,0) takes a whole number with a point', { kind: 'decimal', precision: 3, scale: 0 }, '120.0', 120],
    ['decimal(3,0) refuses a fraction', { kind: 'decimal', precision: 3, scale: 0 }, '120.5', null],
    ['date', date, '2024-02-29', '2024-02-29'],
    ['impossible date', date, '2024-02-30', null],
    ['date with a time (DuckDB alone drops it)', date, '2024-01-01T10:00:00', null],
    ['date with slashes', date, '2024/01/01', null],
    ['timestamp with T and Z', timestamp, '2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z'],
    ['timestamp with space, no offset (UTC)', timestamp, '2024-01-01 10:00:00', '2024-01-01T10:00:00.000Z'],
    ['timestamp with T and offset', timestamp, '2024-01-01T12:00:00+02:00', '2024-01-01T10:00:00.000Z'],
    ['timestamp with space and offset', timestamp, '2024-01-01 05:30:00.250-04:30', '2024-01-01T10:00:00.250Z'],
    ['timestamp garbage', timestamp, 'yesterday-ish', null],
    ['impossible timestamp', timestamp, '2024-13-01 00:00:00', null],
  ])('%s', async (_name, type, text, expected) => {
    expect(await value(duckdb.parse(duckdb.string(text), type))).toEqual(expected);
  });

  it('keeps NULL as NULL', async () => {
    expect(await value(duckdb.parse('CAST(NULL AS VARCHAR)', int64))).toBeNull();
  });
});

describe('duckdb rendering, executed', () => {
  it('quotes identifiers so any name stays itself', async () => {
    const reader = await connection.runAndReadAll(`SELECT 1 AS ${duckdb.identifier('odd "name" select')}`);
    expect(reader.columnNames()).toEqual(['odd "name" select']);
  });

  it.each(["it's", 'back\\slash', '', 'naïve ✓'])('round-trips the string literal %j', async (text) => {
    expect(await value(duckdb.string(text))).toBe(text);
  });

  it.each<[string, string, boolean]>([
    ['abc', 'abc', true],
    ['abcd', 'abc', false],
    ['xabc', 'abc', false],
    ['abc', 'a|abc', true],
    ['ORD-12', '^ORD-[0-9]+$', true],
  ])('fullMatch(%j, %j) is %s: the whole value must match', async (text, pattern, expected) => {
    expect(await value(duckdb.fullMatch(duckdb.string(text), pattern))).toBe(expected);
  });

  it('measures length in characters, not bytes', async () => {
    expect(await value(duckdb.length(duckdb.string('héllo✓')))).toBe(6);
  });

  it('counts rows where a predicate holds, NULL counting as not', async () => {
    expect(await value(`${duckdb.countIf('x > 1')} FROM (VALUES (1), (2), (3), (NULL)) t(x)`)).toBe(2);
  });

  it('gives epoch seconds of timestamps and dates', async () => {
    expect(await value(duckdb.epochSeconds(duckdb.parse("'1970-01-02T00:00:01Z'", timestamp), timestamp))).toBe(86401);
    expect(await value(duckdb.epochSeconds(duckdb.parse("'1970-01-03'", date), date))).toBe(172800);
  });

  it('finds the count of the rarest value, ignoring nulls', async () => {
    expect(await value(`${duckdb.rarestValueCount('x')} FROM (VALUES ('a'), ('a'), ('b'), (NULL), (NULL), (NULL)) t(x)`)).toBe(1);
    expect(await value(`${duckdb.rarestValueCount('x')} FROM (VALUES (CAST(NULL AS VARCHAR))) t(x)`)).toBeNull();
  });

  it('keeps the records of the first rows where a predicate holds, in order, NULL values included', async () => {
    const rows = `FROM (VALUES (5, 'e', true), (1, 'a', true), (3, NULL, true), (2, 'b', false), (4, 'd', true), (6, 'f', NULL)) t(r, v, f)`;
    expect(await value(`${duckdb.firstRecords(['r', 'v'], 'r', 3, 'f')} ${rows}`)).toEqual([
      { v0: 1, v1: 'a' },
      { v0: 3, v1: null },
      { v0: 4, v1: 'd' },
    ]);
    expect(await value(`${duckdb.firstRecords(['v'], 'r', 10, 'f')} ${rows}`)).toEqual([{ v0: 'a' }, { v0: null }, { v0: 'd' }, { v0: 'e' }]);
    expect(await value(`${duckdb.firstRecords(['r'], 'r', 3, 'r > 99')} ${rows}`)).toBeNull();
  });

  it('keeps the non-null strings of a list, in order', async () => {
    expect(await value(duckdb.nonNullStrings(["'a'", 'NULL', "'c'"]))).toEqual(['a', 'c']);
    expect(await value(duckdb.nonNullStrings([]))).toEqual([]);
  });

  it.each<[string, string, ColumnType, JsonValue]>([
    ['an integer in range', 'CAST(120 AS INTEGER)', int8, 120],
    ['an integer out of range', 'CAST(300 AS INTEGER)', int8, null],
    ['a whole double into an integer', 'CAST(2.0 AS DOUBLE)', int64, 2],
    ['a fractional double into an integer (a cast alone gives 2)', 'CAST(2.5 AS DOUBLE)', int64, null],
    ['a double beyond 64 bits into an integer', 'CAST(1e19 AS DOUBLE)', int64, null],
    ['a double within the scale into a decimal', 'CAST(19.01 AS DOUBLE)', { kind: 'decimal', precision: 12, scale: 2 }, 19.01],
    ['a double beyond the scale into a decimal (a cast alone gives 19.01)', 'CAST(19.009 AS DOUBLE)', { kind: 'decimal', precision: 12, scale: 2 }, null],
    ['a decimal beyond the scale into a decimal', 'CAST(19.009 AS DECIMAL(12,3))', { kind: 'decimal', precision: 12, scale: 2 }, null],
    ['a decimal beyond the precision', 'CAST(12345.5 AS DECIMAL(12,1))', decimal52, null],
    ['a timestamp into a timestamp with time zone', "TIMESTAMP '2024-01-01 10:00:00'", timestamp, '2024-01-01T10:00:00.000Z'],
    ['a timestamp at midnight into a date', "TIMESTAMP '2024-01-01 00:00:00'", date, '2024-01-01'],
    ['a timestamp with a time into a date (a cast alone drops the time)', "TIMESTAMP '2024-01-01 10:00:00'", date, null],
    ['an integer into text', 'CAST(7 AS BIGINT)', { kind: 'string' }, '7'],
  ])('converts %s exactly or not at all', async (_name, expression, type, expected) => {
    expect(await value(duckdb.convert(expression, type))).toEqual(expected);
  });

  it('evaluates an inline CTE', async () => {
    const reader = await connection.runAndReadAll(`WITH ${duckdb.inlineCte('t', 'SELECT 41 AS x')} SELECT x + 1 FROM t`);
    expect(reader.getRows()[0]![0]).toBe(42);
  });
});

describe('athena rendering', () => {
  it.each<[ColumnType, string]>([
    [{ kind: 'string' }, 'varchar'],
    [boolean, 'boolean'],
    [int8, 'tinyint'],
    [{ kind: 'integer', bits: 16 }, 'smallint'],
    [{ kind: 'integer', bits: 32 }, 'integer'],
    [int64, 'bigint'],
    [double, 'double'],
    [{ kind: 'decimal', precision: 12, scale: 2 }, 'decimal(12,2)'],
    [date, 'date'],
    [timestamp, 'timestamp(3) with time zone'],
  ])('names %j as %s', (type, expected) => {
    expect(athena.type(type)).toBe(expected);
  });

  it('parses timestamps with from_iso8601_timestamp for the T form and a cast for the space form', () => {
    expect(athena.parse('"ts"', timestamp)).toBe(
      `CASE WHEN strpos("ts", 'T') > 0 THEN try(from_iso8601_timestamp(trim("ts"))) ` +
        `ELSE try_cast(trim("ts") AS timestamp(3) with time zone) END`,
    );
  });

  it('parses integers and dates behind the same strict shape check as DuckDB', () => {
    expect(athena.parse('"n"', int64)).toBe(`CASE WHEN regexp_like("n", '^(?:\\s*[+-]?[0-9]+\\s*)$') THEN try_cast(trim("n") AS bigint) END`);
    expect(athena.parse('"d"', date)).toBe(
      `CASE WHEN regexp_like("d", '^(?:\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*)$') THEN try_cast(trim("d") AS date) END`,
    );
    expect(athena.parse('"x"', decimal52)).toBe(
      `CASE WHEN regexp_like("x", '^(?:\\s*[+-]?(?:0*[0-9]{1,3}(?:\\.[0-9]{0,2}0*)?|\\.[0-9]{1,2}0*)\\s*)$') THEN try_cast(trim("x") AS decimal(5,2)) END`,
    );
  });

  it('anchors patterns, since regexp_like finds a match anywhere', () => {
    expect(athena.fullMatch('"code"', "[A-Z]{3}|it's")).toBe(`regexp_like("code", '^(?:[A-Z]{3}|it''s)$')`);
  });

  it('spells the functions DuckDB names differently', () => {
    expect(athena.countIf('x > 1')).toBe('count_if(x > 1)');
    expect(athena.length('"s"')).toBe('length("s")');
    expect(athena.text('"n"')).toBe('CAST("n" AS varchar)');
    expect(athena.convert('"n"', int8)).toBe('CASE WHEN try_cast("n" AS tinyint) = "n" THEN try_cast("n" AS tinyint) END');
    expect(athena.convert('"n"', { kind: 'string' })).toBe('try_cast("n" AS varchar)');
    expect(athena.epochSeconds('max(t)', timestamp)).toBe('to_unixtime(max(t))');
    expect(athena.epochSeconds('max(d)', date)).toBe('to_unixtime(CAST(max(d) AS timestamp))');
    expect(athena.rarestValueCount('"s"')).toBe('array_min(map_values(histogram("s")))');
    expect(athena.firstRecords(['_row', '"v"'], '_row', 5, '"v" IS NULL')).toBe('min_by(ROW(_row, "v"), _row, 5) FILTER (WHERE "v" IS NULL)');
    expect(athena.nonNullStrings(["'a'", 'NULL'])).toBe("filter(ARRAY['a', NULL], x -> x IS NOT NULL)");
    expect(athena.nonNullStrings([])).toBe('CAST(ARRAY[] AS array(varchar))');
    expect(athena.inlineCte('t', 'SELECT 1')).toBe('t AS (\nSELECT 1\n)');
    expect(athena.identifier('a"b')).toBe('"a""b"');
    expect(athena.string("it's")).toBe("'it''s'");
  });
});

describe('valueLiteral: contract values as typed SQL values', () => {
  it('quotes any value for a string column', () => {
    expect(valueLiteral(duckdb, 10, { kind: 'string' })).toBe("'10'");
  });

  it('writes numbers and booleans as SQL literals', () => {
    expect(valueLiteral(duckdb, 2.5, double)).toBe('2.5');
    expect(valueLiteral(athena, true, boolean)).toBe('true');
  });

  it('parses text for typed columns with the column parser', async () => {
    expect(await value(valueLiteral(duckdb, '2015-01-01', date))).toBe('2015-01-01');
    expect(await value(valueLiteral(duckdb, '7', int64))).toBe(7);
  });

  it('refuses a number SQL cannot write', () => {
    expect(() => valueLiteral(duckdb, Number.POSITIVE_INFINITY, double)).toThrow(/not a SQL number/);
  });
});
