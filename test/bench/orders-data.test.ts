import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { openSource } from '../../lib/validation/read/open-source.ts';
import { nativeColumns, openDuckDb, runValidationQueries } from '../../lib/validation/run-validation.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { benchDataset } from '../../bench/bench-dataset.ts';
import { validationMismatches } from '../../bench/checks.ts';
import { metricDifferences } from '../../bench/hand-written-metrics.ts';
import { generatedMetrics, handWrittenMetrics } from '../../bench/metrics-queries.ts';
import {
  ensureOrdersFile,
  expectedFailures,
  expectedQuarantinedRows,
  GENERATOR_VERSION,
  INGEST_TIME,
  MAX_ROWS,
  ordersSql,
  writeOrdersFile,
  type BenchFormat,
} from '../../bench/orders-data.ts';

const root = mkdtempSync(join(tmpdir(), 'bench-orders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One full defect period and part of a second: 49_999 and 59_999 of the second period fall inside it, the later offsets do not. */
const ROWS = 160_000;
const files: Record<BenchFormat, string> = { csv: join(root, 'orders.csv'), parquet: join(root, 'orders.parquet') };

beforeAll(async () => {
  await writeOrdersFile(files.csv, ROWS, 'csv');
  await writeOrdersFile(files.parquet, ROWS, 'parquet');
});

describe('expectedFailures', () => {
  it('counts a defect only once its row offset is inside the file', () => {
    expect(Object.values(expectedFailures(49_999)).every((count) => count === 0)).toBe(true);
    expect(expectedFailures(50_000)['order_id.unique']).toBe(2);
    expect(expectedQuarantinedRows(50_000)).toBe(2);
  });

  it('repeats every defect once per 100,000 rows', () => {
    expect(expectedFailures(ROWS)).toEqual({
      'order_id.unique': 4,
      status_known: 2,
      currency_known: 1,
      'amount.exclusiveMinimum': 1,
      'amount.maximum': 1,
      'customer_id.pattern': 1,
    });
    expect(expectedQuarantinedRows(ROWS)).toBe(10);
  });
});

describe('ordersSql', () => {
  it('refuses a row count that is not a whole number, or too large for distinct order ids', () => {
    for (const rows of [-1, 1.5, MAX_ROWS + 1]) expect(() => ordersSql(rows)).toThrow(`got ${rows}`);
    expect(ordersSql(MAX_ROWS)).toContain(`range(${MAX_ROWS})`);
  });
});

describe('generated orders files', () => {
  it.each(['csv', 'parquet'] as const)('%s: validateFile finds exactly the defects written, and the rest passes', async (format) => {
    const { report, outputs } = await validateFile({
      dataset: benchDataset(format),
      file: files[format],
      ingestTime: INGEST_TIME,
      outDir: join(root, `out-${format}`),
      fileId: 'test',
    });
    const failures = Object.fromEntries(report.rules.filter((rule) => !rule.passed).map((rule) => [rule.id, rule.failedCount]));
    const outcome = { rowCount: report.rowCount, rowsPassed: report.rowsPassed, rowsQuarantined: report.rowsQuarantined, failures };
    expect(validationMismatches(outcome, ROWS)).toEqual([]);
    expect(report.rules.find((rule) => rule.id === 'freshness')?.passed).toBe(true);
    expect(outputs.validated).toBeDefined();
    expect(outputs.quarantinedRows).toBeDefined();
  });

  /** Runs `work` on a DuckDB connection set up as validateFile sets up its own, with the file opened. */
  async function withOpenedFile<T>(format: BenchFormat, work: (connection: DuckDBConnection, relationName: string) => Promise<T>): Promise<T> {
    const scratch = mkdtempSync(join(root, 'duckdb-'));
    const { instance, connection } = await openDuckDb(scratch, undefined, { files: [files[format]] });
    try {
      const opened = await openSource(connection, benchDataset(format), files[format]);
      if (!opened.ok) throw new Error(opened.failure.message);
      return await work(connection, opened.relation);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  const temporaryTables = async (connection: DuckDBConnection) =>
    (await connection.runAndReadAll('SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY table_name')).getRows().map(([name]) => String(name));

  it.each(['csv', 'parquet'] as const)('%s: the generated measurement runs the metrics query a validation runs, after the same set-up', async (format) => {
    const dataset = benchDataset(format);
    const production = await withOpenedFile(format, async (connection, relationName) => {
      const run = await runValidationQueries(connection, dataset, relationName, { ingestTime: INGEST_TIME, file: files[format], startedAt: new Date() });
      return { metricsQuery: run.compiled.metricsQuery, tables: await temporaryTables(connection) };
    });
    const measured = await withOpenedFile(format, async (connection, relationName) => {
      const { compiled } = await generatedMetrics(connection, dataset, relationName);
      return { metricsQuery: compiled.metricsQuery, tables: await temporaryTables(connection) };
    });
    expect(production.tables).not.toEqual([]);
    expect(measured).toEqual(production);
  });

  it.each(['csv', 'parquet'] as const)('%s: the hand-written metrics query measures what the generated one does', async (format) => {
    await withOpenedFile(format, async (connection, relationName) => {
      const dataset = benchDataset(format);
      const relation = duckdb.identifier(relationName);
      expect(await nativeColumns(connection, relation, dataset)).toEqual(format === 'parquet' ? ['order_ts', 'amount'] : []);
      const generated = await generatedMetrics(connection, dataset, relationName);
      const handWritten = await handWrittenMetrics(connection, relationName, format);
      expect(metricDifferences(generated.ruleMetrics, handWritten)).toEqual([]);
      expect(handWritten.get('order_id.unique')).toEqual([4, ROWS]);
      expect(handWritten.get('orders_not_empty')).toEqual([ROWS]);
    });
  });

  it('are the same bytes every time they are written', async () => {
    const [first, second] = [join(root, 'first.csv'), join(root, 'second.csv')];
    await writeOrdersFile(first, 5_000, 'csv');
    await writeOrdersFile(second, 5_000, 'csv');
    expect(readFileSync(first).equals(readFileSync(second))).toBe(true);
    expect(readFileSync(first, 'utf8').split('\n').slice(0, 2)).toEqual([
      'order_id,customer_id,order_ts,status,currency,amount',
      'ORD-00000000,CUS-000000,2026-11-30T23:59:59Z,placed,EUR,0.01',
    ]);
  });
});

describe('ensureOrdersFile', () => {
  it('generates a file named by generator version and size once, then reuses it', async () => {
    const directory = join(root, 'data');
    const first = await ensureOrdersFile(directory, 1_000, 'parquet');
    const again = await ensureOrdersFile(directory, 1_000, 'parquet');
    expect(first).toEqual({ file: join(directory, `orders-g${GENERATOR_VERSION}-1000.parquet`), generated: true });
    expect(again).toEqual({ file: first.file, generated: false });
    expect(readdirSync(directory)).toEqual([`orders-g${GENERATOR_VERSION}-1000.parquet`]);
  });
});
