import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * One scan that decodes every value of every column. DuckDB reports invalid UTF-8 in a CSV
 * only when a query reads all columns, and a query over a subset of a bad file can raise an
 * internal error that disables the whole instance. Hashing every column keeps the optimizer
 * from skipping any of them while holding nothing in memory. Returns the rows read.
 */
export async function readEveryValue(connection: DuckDBConnection, from: string, columns: readonly string[]): Promise<number> {
  const values = columns.length === 0 ? '' : `, min(hash(${columns.join(', ')}))`;
  const [[rows] = []] = (await connection.runAndReadAll(`SELECT count(*)${values} FROM ${from}`)).getRows();
  return Number(rows);
}
