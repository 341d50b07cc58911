import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from './ansi.ts';

/** The only files a DuckDB instance may still open once it runs user-written SQL. */
export interface FileAccess {
  /** Single files it reads, such as the file being validated. */
  readonly files?: readonly string[];
  /** Directories it reads and writes under, such as an output directory or the local lake. */
  readonly directories?: readonly string[];
}

function list(values: readonly string[] = []): string {
  return `[${values.map(quoteString).join(', ')}]`;
}

/**
 * Turns off DuckDB's access to files (and extensions, attachments, the network) beyond `access`,
 * then locks the configuration so no statement can turn it back on: defense in depth behind the
 * parser, should a user-written statement slip past it (DESIGN.md, "User-written SQL is
 * sandboxed"). Everything the instance needs to configure must be set before, TimeZone included.
 * Measured on DuckDB 1.5: spilling to `temp_directory` still works, as does a view created
 * before over a file that `access` names.
 */
export async function confineFileAccess(connection: DuckDBConnection, access: FileAccess): Promise<void> {
  await connection.run(`SET allowed_paths = ${list(access.files)}`);
  await connection.run(`SET allowed_directories = ${list(access.directories)}`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
