import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { column, loadDataset } from './helpers/dataset.ts';

// physicalType widths hold every value the source system's type holds (review of issue 13):
// SQL Server's tinyint is 0..255 and MySQL's -128..127; MySQL writes a boolean as tinyint(1).

const outRoot = mkdtempSync(join(tmpdir(), 'integer-widths-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

describe('source integer types in the validator', () => {
  it("passes every value of SQL Server's and MySQL's tinyint, and reads tinyint(1) under logicalType boolean as a boolean", async () => {
    const dataset = loadDataset({
      properties: [
        column('id'),
        column('sqlserver_small', { logicalType: 'integer', physicalType: 'tinyint' }),
        column('mysql_small', { logicalType: 'integer', physicalType: 'TINYINT' }),
        column('mysql_unsigned', { logicalType: 'integer', physicalType: 'tinyint unsigned' }),
        column('mysql_flag', { logicalType: 'boolean', physicalType: 'tinyint(1)' }),
      ],
    });
    const file = join(outRoot, 'items.csv');
    writeFileSync(file, ['id,sqlserver_small,mysql_small,mysql_unsigned,mysql_flag', 'a,255,-128,255,1', 'b,200,127,0,0', 'c,0,5,200,true'].join('\n') + '\n');
    const { report } = await validateFile({ dataset, file, ingestTime: new Date('2026-01-15T12:00:00Z'), outDir: join(outRoot, 'out'), fileId: 'f' });
    expect(report.rules.filter((rule) => rule.kind === 'type').map(({ id, failedCount }) => [id, failedCount])).toEqual([
      ['sqlserver_small.type', 0],
      ['mysql_small.type', 0],
      ['mysql_unsigned.type', 0],
      ['mysql_flag.type', 0],
    ]);
    expect(report).toMatchObject({ passed: true, rowsPassed: 3 });
  });
});
