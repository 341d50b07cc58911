import type { DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_PLACEHOLDER } from '../../pipeline/lake-write.ts';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import type { LakeOperation, Snapshot, SnapshotSummary } from './snapshot.ts';
import { dataDirectory, newDataFile } from './table-layout.ts';
import { LakeError } from './lake-errors.ts';
import { DATA_FILE_COLUMN, snapshotRelation } from './table-relation.ts';

/** A commit's content before it has a snapshot id, a sequence and a time. */
export interface ChangeDraft {
  readonly operation: LakeOperation;
  readonly schema: Snapshot['schema'];
  readonly files: readonly string[];
  readonly summary: SnapshotSummary;
}

/** A change whose data file is written but not yet referenced by any manifest. */
export interface PreparedChange {
  readonly draft: ChangeDraft;
  /** Deletes the data file this change wrote: call when the change will never be committed. */
  discard(): void;
}

/** Operations that may name the rows they touch, so that only the files holding them are rewritten. */
const SCOPED_OPERATIONS: readonly LakeOperation[] = ['merge', 'delete'];

async function countRows(connection: DuckDBConnection, relation: string): Promise<number> {
  const result = await connection.runAndReadAll(`SELECT count(*) FROM ${relation}`);
  return Number(result.getRows()[0]![0]);
}

/** The parent's files holding at least one row `t` that meets `scope`, in the parent's order. */
async function filesInScope(connection: DuckDBConnection, tableDirectory: string, parent: Snapshot, scope: string): Promise<string[]> {
  const byPath = new Map(parent.files.map((file) => [join(tableDirectory, file), file]));
  const result = await connection.runAndReadAll(
    `SELECT DISTINCT t.${quoteIdentifier(DATA_FILE_COLUMN)} FROM (${snapshotRelation(tableDirectory, parent, { withDataFile: true })}) AS t WHERE ${scope}`,
  );
  const matched = new Set(result.getRows().map((row) => byPath.get(String(row[0]))));
  return parent.files.filter((file) => matched.has(file));
}

/**
 * Runs `statements` against a temporary table holding the new contents and writes those to one
 * new Parquet file. Appends start the temporary table empty and keep the parent's files. A merge
 * or delete with a `scope` starts it with the rows of the files holding a row in scope, and
 * replaces only those files, keeping the others as they are (Iceberg's copy-on-write); without a
 * scope, and for the other operations, it starts with every row and replaces every file. A failing
 * statement leaves no file behind. Nothing is published here: the manifest commit does that.
 */
export async function prepareChange(
  connection: DuckDBConnection,
  tableDirectory: string,
  parent: Snapshot,
  operation: LakeOperation,
  statements: readonly string[],
  scope?: string,
): Promise<PreparedChange> {
  if (scope !== undefined && !SCOPED_OPERATIONS.includes(operation)) {
    throw new LakeError(`a scope limits which files a ${SCOPED_OPERATIONS.join(' or ')} rewrites; '${operation}' takes none`);
  }
  const target = quoteIdentifier(`lake_target_${randomUUID().replaceAll('-', '')}`);
  const appending = operation === 'append';
  const rewritten = appending ? [] : scope === undefined ? parent.files : await filesInScope(connection, tableDirectory, parent, scope);
  const kept = parent.files.filter((file) => !rewritten.includes(file));
  const columns = parent.schema.map((column) => quoteIdentifier(column.name));
  const definitions = parent.schema.map((column, index) => `${columns[index]} ${column.type}`);
  await connection.run(
    appending
      ? `CREATE TEMP TABLE ${target} (${definitions.join(', ')})`
      : `CREATE TEMP TABLE ${target} AS ${snapshotRelation(tableDirectory, { ...parent, files: rewritten })}`,
  );

  let written: string | undefined;
  let rows: number;
  let keptRows: number;
  try {
    // The rows outside the rewritten files, from the parent's total: counting them would read them.
    keptRows = appending ? parent.summary.totalRows : parent.summary.totalRows - (await countRows(connection, target));
    for (const statement of statements) await connection.run(statement.replaceAll(TARGET_PLACEHOLDER, target));
    rows = await countRows(connection, target);
    if (rows > 0) {
      written = newDataFile();
      mkdirSync(dataDirectory(tableDirectory), { recursive: true });
      await connection.run(
        `COPY (SELECT ${columns.join(', ')} FROM ${target}) ` +
          `TO ${quoteString(join(tableDirectory, written))} (FORMAT parquet)`,
      );
    }
  } catch (error) {
    if (written !== undefined) rmSync(join(tableDirectory, written), { force: true });
    throw error;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${target}`);
  }

  const added = written === undefined ? [] : [written];
  return {
    draft: {
      operation,
      schema: parent.schema,
      files: [...kept, ...added],
      summary: appending
        ? { addedFiles: added.length, removedFiles: 0, addedRows: rows, totalRows: keptRows + rows }
        : { addedFiles: added.length, removedFiles: rewritten.length, totalRows: keptRows + rows },
    },
    discard: () => {
      for (const file of added) rmSync(join(tableDirectory, file), { force: true });
    },
  };
}
