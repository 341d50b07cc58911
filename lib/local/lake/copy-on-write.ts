import type { DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import type { LakeOperation, Snapshot, SnapshotSummary } from './snapshot.ts';
import { dataDirectory, newDataFile } from './table-layout.ts';
import { snapshotRelation } from './table-relation.ts';

/** Stands, in a caller's statements, for the temporary table that becomes the new snapshot. */
export const TARGET_PLACEHOLDER = '{{target}}';

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

async function countRows(connection: DuckDBConnection, relation: string): Promise<number> {
  const result = await connection.runAndReadAll(`SELECT count(*) FROM ${relation}`);
  return Number(result.getRows()[0]![0]);
}

/**
 * Runs `statements` against a temporary table holding the new contents and writes those to one
 * new Parquet file. Appends start the temporary table empty and keep the parent's files; every
 * other operation starts it with the parent's rows and replaces the parent's files. A failing
 * statement leaves no file behind. Nothing is published here: the manifest commit does that.
 */
export async function prepareChange(
  connection: DuckDBConnection,
  tableDirectory: string,
  parent: Snapshot,
  operation: LakeOperation,
  statements: readonly string[],
): Promise<PreparedChange> {
  const target = quoteIdentifier(`lake_target_${randomUUID().replaceAll('-', '')}`);
  const appending = operation === 'append';
  const columns = parent.schema.map((column) => quoteIdentifier(column.name));
  const definitions = parent.schema.map((column, index) => `${columns[index]} ${column.type}`);
  await connection.run(
    appending
      ? `CREATE TEMP TABLE ${target} (${definitions.join(', ')})`
      : `CREATE TEMP TABLE ${target} AS ${snapshotRelation(tableDirectory, parent)}`,
  );

  let written: string | undefined;
  let rows: number;
  try {
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
      files: appending ? [...parent.files, ...added] : added,
      summary: appending
        ? { addedFiles: added.length, removedFiles: 0, addedRows: rows, totalRows: parent.summary.totalRows + rows }
        : { addedFiles: added.length, removedFiles: parent.files.length, totalRows: rows },
    },
    discard: () => {
      for (const file of added) rmSync(join(tableDirectory, file), { force: true });
    },
  };
}
