import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { jodaFormat, readDatePattern, strptimeFormat, type DatePattern } from '../../lib/contracts/date-pattern.ts';
import { formatCheck } from '../../lib/contracts/value-formats.ts';
import { athena } from '../../lib/sql/athena.ts';
import { compileValidation } from '../../lib/validation/compile.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

const outRoot = mkdtempSync(join(tmpdir(), 'date-pattern-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

function pattern(format: string): DatePattern {
  const read = readDatePattern(format);
  if (read === undefined || !('pattern' in read)) throw new Error(`'${format}' is no pattern`);
  return read.pattern;
}

const dataset = loadDataset({
  properties: [
    column('id'),
    column('issued_on', { logicalType: 'date', logicalTypeOptions: { format: 'dd.MM.yyyy' } }),
    column('paid_at', { logicalType: 'timestamp', logicalTypeOptions: { format: 'dd/MM/yyyy HH:mm' } }),
  ],
  customProperties: [{ property: 'onViolation', value: 'quarantine-rows' }],
});

describe('a date pattern on date and timestamp columns', () => {
  it('parses values written in the pattern, fails the type rule of the rest, and writes real dates and timestamps', async () => {
    const file = join(outRoot, 'items.csv');
    writeFileSync(
      file,
      [
        'id,issued_on,paid_at',
        'a,31.12.2024,31/12/2024 23:59',
        'b,2024-12-31,2024-12-31 23:59',
        'c,31.02.2024,01/02/2024 24:00',
        'd,1.1.2024,1/2/2024 10:00',
        'e,29.02.2024,',
      ].join('\n') + '\n',
    );
    const outDir = join(outRoot, 'out');
    const { report, outputs } = await validateFile({ dataset, file, ingestTime: new Date('2026-01-15T12:00:00Z'), outDir, fileId: 'f' });
    const typeRules = report.rules.filter((rule) => rule.kind === 'type');
    expect(typeRules).toMatchObject([
      { id: 'issued_on.type', failedCount: 3, samples: [{ row: 2, value: '2024-12-31' }, { row: 3, value: '31.02.2024' }, { row: 4, value: '1.1.2024' }] },
      { id: 'paid_at.type', failedCount: 3, samples: [{ row: 2, value: '2024-12-31 23:59' }, { row: 3, value: '01/02/2024 24:00' }, { row: 4, value: '1/2/2024 10:00' }] },
    ]);
    expect(report).toMatchObject({ rowCount: 5, rowsPassed: 2, rowsQuarantined: 3 });

    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      const types = await connection.runAndReadAll(`SELECT name, type FROM parquet_schema('${outputs.validated}') WHERE name IN ('issued_on', 'paid_at')`);
      expect(types.getRows()).toEqual([
        ['issued_on', 'INT32'],
        ['paid_at', 'INT64'],
      ]);
      const rows = await connection.runAndReadAll(
        `SELECT id, typeof(issued_on), CAST(issued_on AS VARCHAR), typeof(paid_at), CAST(paid_at AS VARCHAR) FROM '${outputs.validated}' ORDER BY _row`,
      );
      expect(rows.getRows()).toEqual([
        ['a', 'DATE', '2024-12-31', 'TIMESTAMP WITH TIME ZONE', '2024-12-31 23:59:00+00'],
        ['e', 'DATE', '2024-02-29', 'TIMESTAMP WITH TIME ZONE', null],
      ]);
    } finally {
      connection.closeSync();
    }
  });

  it('renders the parse for Athena with parse_datetime and the Joda pattern, guarded by the shape', () => {
    const compiled = compileValidation(dataset, athena, { relation: 'landing_db.items_raw' });
    expect(compiled.typedSelect).toContain(
      String.raw`CASE WHEN regexp_like("issued_on", '^(?:\d{2}\.\d{2}\.\d{4})$') THEN CAST(try(parse_datetime("issued_on", 'dd.MM.yyyy')) AS date) END AS "issued_on"`,
    );
    expect(compiled.typedSelect).toContain(
      String.raw`CASE WHEN regexp_like("paid_at", '^(?:\d{2}/\d{2}/\d{4} \d{2}:\d{2})$') THEN CAST(try(parse_datetime("paid_at", 'dd/MM/yyyy HH:mm')) AS timestamp(3) with time zone) END AS "paid_at"`,
    );
  });

  it('translates each field and quoted literal into DuckDB strptime and Joda formats', () => {
    const iso = pattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    expect(strptimeFormat(iso)).toBe('%Y-%m-%dT%H:%M:%S.%g');
    expect(jodaFormat(iso)).toBe("yyyy-MM-dd'T'HH:mm:ss.SSS");
    const quoted = pattern("dd.MM.yyyy 'um' HH 'o''clock' %");
    expect(strptimeFormat(quoted)).toBe("%d.%m.%Y um %H o'clock %%");
    expect(jodaFormat(quoted)).toBe("dd.MM.yyyy' um 'HH' o''clock %'");
    expect(readDatePattern("dd.MM.yyyy 'open")).toBeUndefined();
  });

  it('refuses a pattern the engines cannot read alike, naming the letters it supports', () => {
    const supported = 'it reads yyyy, MM, dd, HH, mm, ss, SSS';
    expect(formatCheck('EEE, dd.MM.yyyy', { kind: 'date' })).toEqual({
      check: 'refused',
      reason: expect.stringMatching(new RegExp(`^the letters 'EEE' are not supported \\(${supported}`)),
    });
    expect(formatCheck('dd.MM.yy', { kind: 'date' })).toMatchObject({ check: 'refused', reason: expect.stringContaining(`'yy' is not supported`) });
    expect(formatCheck('MM/yyyy', { kind: 'date' })).toMatchObject({ check: 'refused', reason: expect.stringContaining('it has no dd') });
    expect(formatCheck('dd.MM.yyyy HH:mm', { kind: 'date' })).toMatchObject({ check: 'refused', reason: expect.stringContaining('a date has no time of day') });
    expect(formatCheck('dd.MM.yyyy HH:mm', { kind: 'timestamp' })).toMatchObject({ check: 'parsed' });
    expect(formatCheck("yyyy-MM-dd'T'HH:mm:ssXXX", { kind: 'timestamp' })).toEqual({ check: 'implied' });
  });

  it('refuses a pattern without a year as a pattern, not as an unchecked format', () => {
    expect(formatCheck('dd.MM', { kind: 'date' })).toMatchObject({ check: 'refused', reason: expect.stringContaining('it has no yyyy') });
    expect(formatCheck('MM/dd HH:mm', { kind: 'timestamp' })).toMatchObject({ check: 'refused', reason: expect.stringContaining('it has no yyyy') });
    // A format of other letters is no date pattern: it stays reported as not checked.
    expect(formatCheck('email', { kind: 'date' })).toMatchObject({ check: 'notEnforced' });
  });
});
