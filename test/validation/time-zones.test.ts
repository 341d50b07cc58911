import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileValidation } from '../../lib/validation/compile.ts';
import { athena } from '../../lib/sql/athena.ts';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

const outRoot = mkdtempSync(join(tmpdir(), 'time-zones-'));
let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run("SET TimeZone = 'UTC'");
});
afterAll(() => {
  connection.closeSync();
  rmSync(outRoot, { recursive: true, force: true });
});

const berlin = { defaultTimezone: 'Europe/Berlin' };

/** Each row's id and the column's stored instant, as UTC text. */
async function instants(parquet: string, name: string): Promise<[string, string | null][]> {
  const reader = await connection.runAndReadAll(`SELECT id, strftime("${name}", '%Y-%m-%dT%H:%M:%SZ') FROM '${parquet}' ORDER BY _row`);
  return reader.getRows().map(([id, instant]) => [String(id), instant === null ? null : String(instant)]);
}

function csv(name: string, lines: readonly string[]): string {
  const file = join(outRoot, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('defaultTimezone: a timestamp without an offset is in the column zone', () => {
  // Europe/Berlin is UTC+1 in winter and UTC+2 from the last Sunday of March to the last of October.
  const rows = [
    'id,at,local_at',
    'winter,2024-03-01 10:00:00,01.03.2024 10:00',
    'summer,2024-07-01T10:00:00,01.07.2024 10:00',
    'offset,2024-07-01T10:00:00+05:00,',
    'utc,2024-01-15T10:00:00Z,',
    'date only,2024-12-24,',
  ];

  it('stores naive CSV values, ISO and date-pattern alike, as the zone instants; values with an offset keep it', async () => {
    const dataset = loadDataset({
      properties: [
        column('id'),
        column('at', { logicalType: 'timestamp', logicalTypeOptions: berlin }),
        column('local_at', { logicalType: 'timestamp', logicalTypeOptions: { ...berlin, format: 'dd.MM.yyyy HH:mm' } }),
      ],
      slaProperties: [{ property: 'freshness', value: 2, unit: 'h', element: 'items.at' }],
    });
    const { report, outputs } = await validateFile({
      dataset,
      file: csv('stored.csv', rows),
      ingestTime: new Date('2024-12-24T00:00:00Z'),
      outDir: join(outRoot, 'stored'),
      fileId: 'f',
    });
    expect(report.rules.filter((rule) => rule.kind === 'type' && rule.failedCount > 0)).toEqual([]);
    expect(await instants(outputs.validated!, 'at')).toEqual([
      ['winter', '2024-03-01T09:00:00Z'],
      ['summer', '2024-07-01T08:00:00Z'],
      ['offset', '2024-07-01T05:00:00Z'],
      ['utc', '2024-01-15T10:00:00Z'],
      ['date only', '2024-12-23T23:00:00Z'],
    ]);
    expect((await instants(outputs.validated!, 'local_at')).slice(0, 2)).toEqual([
      ['winter', '2024-03-01T09:00:00Z'],
      ['summer', '2024-07-01T08:00:00Z'],
    ]);
    // The newest value is midnight in Berlin, one hour before the ingest time (read as UTC: none).
    expect(report.rules.find((rule) => rule.kind === 'freshness')).toMatchObject({ passed: true, observed: 3600 });
  });

  it('reads a bound written without an offset in the zone, so it compares with values that give one', async () => {
    // 06:30 in Berlin is 04:30Z: the value at 10:00+05:00 (05:00Z) is beyond it; read as UTC it was not.
    const dataset = loadDataset({
      properties: [column('id'), column('at', { logicalType: 'timestamp', logicalTypeOptions: { ...berlin, maximum: '2024-07-01 06:30:00' } })],
    });
    const { report } = await validateFile({
      dataset,
      file: csv('bound.csv', rows.map((row) => row.split(',').slice(0, 2).join(','))),
      ingestTime: new Date('2024-12-24T00:00:00Z'),
      outDir: join(outRoot, 'bound'),
      fileId: 'f',
    });
    expect(report.rules.find((rule) => rule.kind === 'maximum')).toMatchObject({
      failedCount: 3,
      samples: [{ row: 2 }, { row: 3 }, { row: 5 }],
    });
  });

  it('places a Parquet TIMESTAMP not adjusted to UTC and a DATE in the zone and leaves one adjusted to UTC', async () => {
    const file = join(outRoot, 'meters.parquet');
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('winter', TIMESTAMP '2024-03-01 10:00:00', TIMESTAMPTZ '2024-03-01 10:00:00+00', DATE '2024-03-01'), ` +
        `('summer', TIMESTAMP '2024-07-01 10:00:00', TIMESTAMPTZ '2024-07-01 10:00:00+00', DATE '2024-07-01')) t(id, naive, adjusted, day)) TO '${file}' (FORMAT parquet)`,
    );
    const schema = await connection.runAndReadAll(`SELECT name, logical_type FROM parquet_schema('${file}') WHERE name IN ('naive', 'adjusted')`);
    expect(schema.getRows().map(([name, logical]) => [name, String(logical).includes('isAdjustedToUTC=1')])).toEqual([
      ['naive', false],
      ['adjusted', true],
    ]);
    const dataset = loadDataset({
      format: 'parquet',
      properties: [
        column('id'),
        column('naive', { logicalType: 'timestamp', logicalTypeOptions: berlin }),
        column('adjusted', { logicalType: 'timestamp', logicalTypeOptions: berlin }),
        column('day', { logicalType: 'timestamp', logicalTypeOptions: berlin }),
      ],
    });
    const { report, outputs } = await validateFile({ dataset, file, ingestTime: new Date('2024-12-24T00:00:00Z'), outDir: join(outRoot, 'parquet'), fileId: 'f' });
    expect(report.rules.filter((rule) => rule.kind === 'type' && rule.failedCount > 0)).toEqual([]);
    expect(await instants(outputs.validated!, 'naive')).toEqual([
      ['winter', '2024-03-01T09:00:00Z'],
      ['summer', '2024-07-01T08:00:00Z'],
    ]);
    expect(await instants(outputs.validated!, 'adjusted')).toEqual([
      ['winter', '2024-03-01T10:00:00Z'],
      ['summer', '2024-07-01T10:00:00Z'],
    ]);
    // A DATE is midnight in the zone, as the text 2024-03-01 is.
    expect(await instants(outputs.validated!, 'day')).toEqual([
      ['winter', '2024-02-29T23:00:00Z'],
      ['summer', '2024-06-30T22:00:00Z'],
    ]);
  });

  it.each([
    ['an offset without colon', '2024-07-01 10:00:00-0530', '2024-07-01T15:30:00.000Z'],
    ['an hour offset after a fraction', '2024-07-01 10:00:00.5+05', '2024-07-01T05:00:00.500Z'],
    ['a date alone, whose -01 is no offset', '2024-07-01', '2024-06-30T22:00:00.000Z'],
    ['spaces around a naive value', ' 2024-07-01 10:00:00 ', '2024-07-01T08:00:00.000Z'],
    // A value that names its zone keeps it: only a date and time with nothing after is a wall time.
    ['a value in UTC by name', '2024-03-01 10:00:00 UTC', '2024-03-01T10:00:00.000Z'],
    ['a value in another named zone', '2024-03-01 10:00:00 America/New_York', '2024-03-01T15:00:00.000Z'],
    ['a naive ISO value with microseconds', '2024-03-01T10:00:00.123456', '2024-03-01T09:00:00.123Z'],
    // ICU's rules: a wall time in the spring gap moves on by the gap, one the autumn repeats is the later (standard time).
    ['a wall time that does not exist', '2024-03-31 02:30:00', '2024-03-31T01:30:00.000Z'],
    ['a wall time that exists twice', '2024-10-27 02:30:00', '2024-10-27T01:30:00.000Z'],
  ])('reads %s in DuckDB', async (_name, text, instant) => {
    const parsed = duckdb.parse(duckdb.string(text), { kind: 'timestamp', zone: 'Europe/Berlin' });
    const reader = await connection.runAndReadAll(`SELECT strftime(${parsed}, '%Y-%m-%dT%H:%M:%S.%gZ')`);
    expect(reader.getRows()[0]![0]).toBe(instant);
  });

  it('renders the zone for Athena with with_timezone, only for a text that names no offset or zone', () => {
    const dataset = loadDataset({ properties: [column('id'), column('at', { logicalType: 'timestamp', logicalTypeOptions: berlin })] });
    const { typedSelect } = compileValidation(dataset, athena, { relation: 'landing_db.items_raw' });
    const parsed = `CASE WHEN strpos("at", 'T') > 0 THEN try(from_iso8601_timestamp(trim("at"))) ELSE try_cast(trim("at") AS timestamp(3) with time zone) END`;
    const naive = String.raw`regexp_like("at", '^(?:\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)?\s*)$')`;
    expect(typedSelect).toContain(
      `CASE WHEN ${naive} THEN CAST(with_timezone(CAST(${parsed} AS timestamp(3)), 'Europe/Berlin') AS timestamp(3) with time zone) ELSE ${parsed} END AS `,
    );
  });

  it('refuses a zone no engine knows, at its place, with the name it most likely meant', () => {
    expect(() => loadDataset({ properties: [column('at', { logicalType: 'timestamp', logicalTypeOptions: { defaultTimezone: 'Europe/Berln' } })] })).toThrow(
      /items\.yaml:\d+:\d+: .*defaultTimezone: unknown time zone 'Europe\/Berln' \(did you mean 'Europe\/Berlin'\?\)/,
    );
  });
});
