import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** validateFile's default `memoryLimit`, so the query-only runs work under the memory a validation gets. */
export const VALIDATION_MEMORY_LIMIT = '300MB';

/** A DuckDB connection set up as validateFile sets up its own, so the query-only runs compare with it. */
export async function openValidationDuckDb(scratch: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: VALIDATION_MEMORY_LIMIT,
    threads: String(availableParallelism()),
    home_directory: scratch,
    extension_directory: join(scratch, 'extensions'),
    temp_directory: join(scratch, 'spill'),
  });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return { instance, connection };
}
