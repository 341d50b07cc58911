import type { DuckDBConnection } from '@duckdb/node-api';
import { confineFileAccess } from '../../sql/duckdb-file-access.ts';
import { attachLake } from '../lake/attach-lake.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import { tablesDirectory } from '../lake/table-layout.ts';
import { openLocalDuckDb } from '../local-duckdb.ts';
import { claimScratch, releaseScratch } from '../scratch.ts';
import { workspaceAt } from '../workspace.ts';

export interface BuildConnection {
  readonly connection: DuckDBConnection;
  /** The connection's own folder, which it may read and write. */
  readonly scratch: string;
  close(): void;
}

/**
 * The DuckDB connection a build's queries run on: bounded memory spilling under the workspace
 * (the lake's root), as every DuckDB of the runtime, and the lake's tables and views attached.
 * Models and their tests are user-written SQL, so it opens only what a build reads and writes:
 * the tables' Parquet files and its own scratch folder. Not the rest of the workspace (the S3
 * zones with the quarantine, locks, logs), nor the views folder, whose SQL the lake reads itself.
 */
export async function openBuildConnection(lake: LocalLake): Promise<BuildConnection> {
  const scratch = claimScratch(workspaceAt(lake.root));
  const duckdb = await openLocalDuckDb(scratch);
  const close = (): void => {
    duckdb.close();
    releaseScratch(scratch);
  };
  try {
    await confineFileAccess(duckdb.connection, { directories: [tablesDirectory(lake.root), scratch] });
    await attachLake(duckdb.connection, lake);
    return { connection: duckdb.connection, scratch, close };
  } catch (error) {
    close();
    throw error;
  }
}
