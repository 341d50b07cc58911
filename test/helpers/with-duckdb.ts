import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** Run `work` on a fresh in-memory DuckDB, closed afterwards whether `work` succeeds or throws. */
export async function withDuckDb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
