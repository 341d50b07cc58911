import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../../../lib/contracts/model.ts';
import { jsonValue } from '../../../lib/validation/json-value.ts';
import type { JsonValue } from '../../../lib/validation/report.ts';
import { runValidationQueries, type ValidationRun } from '../../../lib/validation/run-validation.ts';
import { duckdb } from '../../../lib/sql/duckdb.ts';

export const relationName = 'src';

/** A fresh in-memory DuckDB connection; each test gets its own, as each file does in production. */
export async function freshConnection(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  return instance.connect();
}

/**
 * The relation a reader produces for a CSV or JSON Lines file: `_row` (1-based) and one VARCHAR
 * column per name, holding `rows` in order.
 */
export async function createTextSource(
  connection: DuckDBConnection,
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  const definitions = ['_row BIGINT', ...columns.map((name) => `${duckdb.identifier(name)} VARCHAR`)];
  await connection.run(`CREATE OR REPLACE TABLE ${relationName} (${definitions.join(', ')})`);
  if (rows.length === 0) return;
  const values = rows.map((row, index) => {
    if (row.length !== columns.length) throw new Error(`row ${index + 1} has ${row.length} values for ${columns.length} columns`);
    return `(${[String(index + 1), ...row.map((value) => (value === null ? 'NULL' : duckdb.string(value)))].join(', ')})`;
  });
  await connection.run(`INSERT INTO ${relationName} VALUES ${values.join(', ')}`);
}

export const defaultIngestTime = new Date('2026-11-21T06:00:00Z');

export interface Validated extends ValidationRun {
  readonly passingRows: Record<string, JsonValue>[];
  readonly quarantinedRows: Record<string, JsonValue>[];
}

async function objects(connection: DuckDBConnection, sql: string): Promise<Record<string, JsonValue>[]> {
  const reader = await connection.runAndReadAll(`${sql}\nORDER BY _row`);
  return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, jsonValue(value)])));
}

/** Validates `rows` as a text file of the dataset and runs both disposition queries. */
export async function validateRows(
  dataset: Dataset,
  rows: readonly (readonly (string | null)[])[],
  options: { readonly ingestTime?: Date; readonly columns?: readonly string[] } = {},
): Promise<Validated> {
  const connection = await freshConnection();
  try {
    await createTextSource(connection, options.columns ?? dataset.columns.map((column) => column.name), rows);
    const run = await runValidationQueries(connection, dataset, relationName, {
      ingestTime: options.ingestTime ?? defaultIngestTime,
      file: 'test.csv',
      startedAt: new Date(),
    });
    return {
      ...run,
      passingRows: await objects(connection, run.disposition.passingRowsQuery),
      quarantinedRows: await objects(connection, run.disposition.quarantinedRowsQuery),
    };
  } finally {
    connection.closeSync();
  }
}
