import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { compileValidation } from '../../lib/validation/compile.ts';
import { openSource } from '../../lib/validation/read/open-source.ts';
import { openDuckDb } from '../../lib/validation/run-validation.ts';
import { column, loadDataset } from './helpers/dataset.ts';

/**
 * How DuckDB plans the compiled queries over a CSV file: the plan, not a timing, shows whether
 * the typed rows are stored whole (a CTE read twice is, over a CSV file) or streamed.
 */
const dataset = loadDataset({
  properties: [
    column('id', { primaryKey: true }),
    column('qty', { logicalType: 'integer', logicalTypeOptions: { minimum: 1 } }),
    column('day', { logicalType: 'date' }),
  ],
  quality: [{ metric: 'duplicateValues', arguments: { properties: ['qty', 'day'] }, mustBe: 0, severity: 'warning' }],
});

const scratch = mkdtempSync(join(tmpdir(), 'query-plans-'));
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let relation: string;

beforeAll(async () => {
  const file = join(scratch, 'items.csv');
  writeFileSync(file, 'id,qty,day\na,1,2024-01-01\nb,2,2024-01-02\na,x,2024-01-02\n');
  ({ instance, connection } = await openDuckDb(join(scratch, 'duckdb'), undefined, { files: [file] }));
  const opened = await openSource(connection, dataset, file);
  if (!opened.ok) throw new Error(opened.failure.message);
  relation = duckdb.identifier(opened.relation);
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

async function plan(sql: string): Promise<string> {
  const rows = (await connection.runAndReadAll(`EXPLAIN ${sql}`)).getRows();
  return rows.map((row) => String(row[1])).join('\n');
}

const csvScans = (text: string) => text.match(/Function: READ_CSV/g);

describe('the DuckDB plan of the metrics query over a CSV file', () => {
  it('streams the typed rows: no CTE is stored, the file is read once per key aggregate and once for the metrics', async () => {
    const compiled = compileValidation(dataset, duckdb, { relation });
    expect(compiled.repeatedKeyQueries).toHaveLength(2);
    const metricsPlan = await plan(compiled.metricsQuery);
    expect(metricsPlan).not.toMatch(/CTE/);
    expect(csvScans(metricsPlan)).toHaveLength(3);
  });

  it('reads the file once when the repeated keys are in tables', async () => {
    const repeatedKeyTable = (index: number) => duckdb.identifier(`plan_keys_${index}`);
    const compiled = compileValidation(dataset, duckdb, { relation, repeatedKeyTable });
    for (const [index, query] of compiled.repeatedKeyQueries.entries()) {
      await connection.run(`CREATE TEMP TABLE ${repeatedKeyTable(index)} AS ${query}`);
    }
    const metricsPlan = await plan(compiled.metricsQuery);
    expect(metricsPlan).not.toMatch(/CTE/);
    expect(csvScans(metricsPlan)).toHaveLength(1);
  });
});
