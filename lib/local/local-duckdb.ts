/**
 * The DuckDB instances the offline runtime opens for itself (loads, maintenance, `lakehouse
 * query`), as opposed to the validator's, which `openDuckDb` confines to one file. Memory is
 * bounded, so a load into a large table spills to the process's scratch folder under the
 * workspace (never DuckDB's default `./.tmp`, nor the system's temp folder) instead of growing
 * with the table.
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * What a load, a compaction or a query may hold in memory before spilling. Measured: the MERGE of
 * a 2M-row delivery needs about 380 MB (window and join state do not spill), so 256 MB fails it.
 */
export const LOCAL_DUCKDB_MEMORY_LIMIT = '512MB';

export interface LocalDuckDb {
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** An in-memory DuckDB whose home and spill files go under `scratch`, with the time zone UTC. */
export async function openLocalDuckDb(scratch: string): Promise<LocalDuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: LOCAL_DUCKDB_MEMORY_LIMIT,
    home_directory: scratch,
    temp_directory: join(scratch, 'spill'),
    // Freed memory goes back to the system between statements, so one load's peak does not stay.
    allocator_flush_threshold: '32MB',
    allocator_background_threads: 'true',
    // A table's rows have no order, and keeping the input's costs memory in every COPY and MERGE.
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  // Set on the connection: the time zone setting needs the ICU extension, loaded only by then.
  await connection.run("SET TimeZone = 'UTC'");
  return {
    instance,
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
