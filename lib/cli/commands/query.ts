import { parseArgs } from 'node:util';
import { glueDatabaseName } from '../../config/names.ts';
import { attachLake } from '../../local/lake/attach-lake.ts';
import { LocalLake } from '../../local/lake/local-lake.ts';
import type { TableName } from '../../local/lake/snapshot.ts';
import { localEnvironment, UnknownEnvironmentError } from '../../local/local-environment.ts';
import { openLocalDuckDb } from '../../local/local-duckdb.ts';
import { claimScratch, releaseScratch } from '../../local/scratch.ts';
import { workspaceAt } from '../../local/workspace.ts';
import { jsonValue } from '../../validation/json-value.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

export const query: Command = {
  words: ['query'],
  usage: 'query "<sql>" [--env <name>] [--json] [--lake <dir>]',
  summary: 'run SQL over the local lake: tables named as in Athena, or unqualified for --env (default dev)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        lake: { type: 'string' },
        env: { type: 'string', default: 'dev' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one SQL statement (quote it)');
    const databases = environmentDatabases(values.env);
    const workspace = workspaceAt(values.lake);
    const lake = new LocalLake(workspace.root);
    // Bounded memory, spilling under the workspace.
    const scratch = claimScratch(workspace);
    const duckdb = await openLocalDuckDb(scratch);
    const { connection } = duckdb;
    try {
      // A table with a damaged manifest is left out and named, so every other table stays queryable.
      const unreadable: string[] = [];
      const tables = await attachLake(connection, lake, {
        onUnreadable: (name, error) => unreadable.push(`${quotedName(name)} cannot be read and was left out: ${error.message}`),
      });
      for (const line of unreadable) io.err(`lakehouse query: ${line}`);
      const attached = databases.filter((database) => tables.some((table) => table.database === database));
      // Unqualified names resolve in the environment's databases, as Athena resolves them in the query's database.
      if (attached.length > 0) await connection.run(`SET search_path = '${attached.join(',')}'`);
      let reader;
      try {
        reader = await connection.runAndReadAll(positionals[0]!);
      } catch (error) {
        const known = tables.map(quotedName).join(', ') || 'none yet (run `lakehouse run` first)';
        io.err(`lakehouse query: ${(error as Error).message}\ntables in ${lake.root}: ${known}`);
        // The query may have failed for want of a table left out: unreadable data, not a mistake in the call.
        return unreadable.length > 0 ? ExitCode.checksFailed : ExitCode.usage;
      }
      const columns = reader.columnNames();
      const rows = reader.getRows().map((row) => row.map((value) => jsonValue(value)));
      if (values.json) {
        printJson(io, rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i] ?? null]))));
      } else {
        io.out(renderTable(columns, rows.map((row) => row.map((value) => (value === null ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value))))));
        io.err(`${rows.length} row${rows.length === 1 ? '' : 's'}`);
      }
      return ExitCode.success;
    } finally {
      duckdb.close();
      releaseScratch(scratch);
    }
  },
};

function quotedName(name: TableName): string {
  return `"${name.database}"."${name.table}"`;
}

function environmentDatabases(name: string): string[] {
  try {
    const { identity, catalog } = localEnvironment(process.cwd(), name);
    return catalog.domains.map((domain) => glueDatabaseName(identity, domain.name));
  } catch (error) {
    if (error instanceof UnknownEnvironmentError) throw new UsageError(error.message);
    throw error;
  }
}
