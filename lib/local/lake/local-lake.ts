import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLocalDuckDb } from '../local-duckdb.ts';
import { claimScratch, releaseScratch } from '../scratch.ts';
import { workspaceAt } from '../workspace.ts';
import { showCommit, showSnapshot } from './attach-lake.ts';
import { commitManifest } from './commit-manifest.ts';
import { TARGET_PLACEHOLDER, WRITE_OPERATIONS, type LakeColumn, type WriteOperation } from '../../pipeline/lake-write.ts';
import { prepareChange, type ChangeDraft, type PreparedChange } from './copy-on-write.ts';
import { expireSnapshots, type ExpireOptions, type ExpireResult } from './expire-snapshots.ts';
import { checkColumns, lakeColumnsOf } from './lake-columns.ts';
import { CommitConflictError, LakeError } from './lake-errors.ts';
import { manifestSequences, readManifest, readManifests } from './manifest-file.ts';
import { removeOrphanFiles, type OrphanOptions } from './orphan-files.ts';
import { newSnapshotId } from './snapshot-id.ts';
import type { Snapshot, TableName } from './snapshot.ts';
import { tableDirectory, tablesDirectory, viewFile } from './table-layout.ts';
import { checkTableName, isAthenaName, qualifiedName } from './table-names.ts';
import { listViews, replaceView, type LakeView } from './view-catalog.ts';

export interface LocalLakeOptions {
  /**
   * Clock for `committedAt`, which `snapshotAsOf` and `expireSnapshots` compare against.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

export interface CreateTableOptions {
  /**
   * When the table exists, return its current snapshot (its schema unchanged) instead of failing,
   * like Athena's `CREATE TABLE IF NOT EXISTS`.
   * @default false
   */
  readonly ifNotExists?: boolean;
}

export interface WriteOptions {
  /**
   * For a `merge` or `delete`: a condition on a row `t` of the table (its columns, plain or as
   * `t.<column>`) that holds for every row of `{{target}}` the statements read, update or delete
   * (for a merge, every row its `ON` clause could match). `{{target}}` then starts with the rows
   * of the files holding such a row, only those files are rewritten, and every other file carries
   * over to the new snapshot unchanged, as Iceberg's copy-on-write does. A scope narrower than
   * what the statements touch loses their effect on the rows left out, so it must come from the
   * same source as the statements.
   * @default every file is rewritten
   */
  readonly scope?: string;
}

/** A write whose data file is written but not yet published. */
export interface StagedWrite {
  /** The snapshot the change was built on: the commit succeeds only while it is still current. */
  readonly parent: Snapshot;
  readonly draft: ChangeDraft;
  /**
   * Publishes the change and refreshes the table's views on the connection that staged it.
   * Throws `CommitConflictError`, and deletes the change's file, when another writer committed first.
   */
  commit(): Promise<Snapshot>;
  /** Deletes the change's file without publishing anything. */
  abort(): void;
}

function athenaNamedFolders(path: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isDirectory() && isAthenaName(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The offline stand-in for the Iceberg tables of the Glue catalog: tables under
 * `<root>/tables/<database>/<table>/`, each a folder of Parquet files plus one manifest per commit.
 * Commits are optimistic: a change is built on the current snapshot and published only if no other
 * writer committed meanwhile (see `commitManifest`). The current snapshot is the highest sequence.
 */
export class LocalLake {
  readonly root: string;
  private readonly now: () => Date;

  constructor(root: string, options: LocalLakeOptions = {}) {
    this.root = resolve(root);
    this.now = options.now ?? (() => new Date());
  }

  tableDirectory(database: string, table: string): string {
    const name = { database, table };
    checkTableName(name);
    return tableDirectory(this.root, name);
  }

  /** Every table with at least one commit, sorted by database then table. */
  tables(): TableName[] {
    const root = tablesDirectory(this.root);
    return athenaNamedFolders(root).flatMap((database) =>
      athenaNamedFolders(join(root, database))
        .filter((table) => manifestSequences(join(root, database, table)).length > 0)
        .map((table) => ({ database, table })),
    );
  }

  hasTable(database: string, table: string): boolean {
    return manifestSequences(this.tableDirectory(database, table)).length > 0;
  }

  /** Retained snapshots in commit order, the current one last. */
  snapshots(database: string, table: string): Snapshot[] {
    const snapshots = readManifests(this.tableDirectory(database, table));
    if (snapshots.length === 0) throw this.missingTable({ database, table });
    return snapshots;
  }

  currentSnapshot(database: string, table: string): Snapshot {
    const directory = this.tableDirectory(database, table);
    const latest = manifestSequences(directory).at(-1);
    const snapshot = latest === undefined ? undefined : readManifest(directory, latest);
    if (snapshot === undefined) throw this.missingTable({ database, table });
    return snapshot;
  }

  /** The snapshot with this id: what Athena's `FOR VERSION AS OF <id>` reads. */
  snapshot(database: string, table: string, snapshotId: number): Snapshot {
    const found = this.snapshots(database, table).find((snapshot) => snapshot.snapshotId === snapshotId);
    if (found === undefined) {
      throw new LakeError(
        `${qualifiedName({ database, table })} has no snapshot ${snapshotId}: it expired or never existed`,
      );
    }
    return found;
  }

  /** The last snapshot committed at or before `timestamp`: what `FOR TIMESTAMP AS OF` reads. */
  snapshotAsOf(database: string, table: string, timestamp: Date): Snapshot {
    const snapshots = this.snapshots(database, table);
    const found = snapshots.findLast((snapshot) => Date.parse(snapshot.committedAt) <= timestamp.getTime());
    if (found === undefined) {
      throw new LakeError(
        `${qualifiedName({ database, table })} has no snapshot at or before ${timestamp.toISOString()}: ` +
          `its oldest retained snapshot was committed at ${snapshots[0]!.committedAt}`,
      );
    }
    return found;
  }

  createTable(
    database: string,
    table: string,
    columns: readonly LakeColumn[],
    options: CreateTableOptions = {},
  ): Snapshot {
    const name = { database, table };
    checkTableName(name);
    checkColumns(columns);
    if (this.hasTable(database, table)) {
      if (options.ifNotExists === true) return this.currentSnapshot(database, table);
      throw new LakeError(`table ${qualifiedName(name)} already exists`);
    }
    if (this.hasView(database, table)) throw new LakeError(`${qualifiedName(name)} is a view: a table cannot take its name`);
    try {
      return this.commit(name, null, {
        operation: 'create',
        schema: lakeColumnsOf(columns),
        files: [],
        summary: { addedFiles: 0, removedFiles: 0, totalRows: 0 },
      });
    } catch (error) {
      if (error instanceof CommitConflictError && options.ifNotExists === true) return this.currentSnapshot(database, table);
      throw error;
    }
  }

  /**
   * Schema evolution, additive only as Athena's `ALTER TABLE ADD COLUMNS`: no file is rewritten,
   * and rows of earlier files read the new columns as null.
   */
  addColumns(database: string, table: string, columns: readonly LakeColumn[]): Snapshot {
    const parent = this.currentSnapshot(database, table);
    checkColumns(columns, parent.schema);
    return this.commit({ database, table }, parent, {
      operation: 'add-columns',
      schema: [...parent.schema, ...lakeColumnsOf(columns)],
      files: parent.files,
      summary: { addedFiles: 0, removedFiles: 0, totalRows: parent.summary.totalRows },
    });
  }

  /**
   * Builds a change with DuckDB without publishing it. `sql` is one statement or several, run in
   * order; each may write `{{target}}`, the temporary table that becomes the new snapshot, and may
   * read `"<database>"."<table>"`, which shows the parent snapshot. For `append`, `{{target}}`
   * starts empty and its rows are added as one new file; for `overwrite`, `merge` and `delete` it
   * starts with the table's rows (with `options.scope`, only those of the files the change
   * touches) and the result replaces those files (copy-on-write).
   * A failing statement leaves nothing behind.
   */
  async stageWrite(
    connection: DuckDBConnection,
    database: string,
    table: string,
    operation: WriteOperation,
    sql: string | readonly string[],
    options: WriteOptions = {},
  ): Promise<StagedWrite> {
    const name = { database, table };
    if (!WRITE_OPERATIONS.includes(operation)) {
      throw new LakeError(`unknown write operation '${operation}': use one of ${WRITE_OPERATIONS.join(', ')}`);
    }
    const statements = typeof sql === 'string' ? [sql] : [...sql];
    if (!statements.some((statement) => statement.includes(TARGET_PLACEHOLDER))) {
      throw new LakeError(
        `no statement of this ${operation} on ${qualifiedName(name)} mentions ${TARGET_PLACEHOLDER}, the table it must change`,
      );
    }
    const parent = this.currentSnapshot(database, table);
    const directory = this.tableDirectory(database, table);
    await showSnapshot(connection, this, name, parent);

    let change: PreparedChange;
    try {
      change = await prepareChange(connection, directory, parent, operation, statements, options.scope);
    } catch (error) {
      throw new LakeError(
        `${operation} on ${qualifiedName(name)} failed and committed nothing: ${(error as Error).message}`,
        { cause: error },
      );
    }

    let settled = false;
    const settle = (): void => {
      if (settled) throw new LakeError(`this ${operation} on ${qualifiedName(name)} was already committed or aborted`);
      settled = true;
    };
    return {
      parent,
      draft: change.draft,
      commit: async () => {
        settle();
        let committed: Snapshot;
        try {
          committed = this.commit(name, parent, change.draft);
        } catch (error) {
          change.discard();
          throw error;
        }
        await showCommit(connection, this, name, committed);
        return committed;
      },
      abort: () => {
        settle();
        change.discard();
      },
    };
  }

  /** `stageWrite` then commit: the new snapshot, or `CommitConflictError` if another writer won. */
  async write(
    connection: DuckDBConnection,
    database: string,
    table: string,
    operation: WriteOperation,
    sql: string | readonly string[],
    options: WriteOptions = {},
  ): Promise<Snapshot> {
    const staged = await this.stageWrite(connection, database, table, operation, sql, options);
    return staged.commit();
  }

  /**
   * Rewrites the current snapshot's files into one, as a new `compact` snapshot with the same rows
   * (Athena's `OPTIMIZE`). A table with at most one file is left as it is.
   */
  async compact(database: string, table: string): Promise<Snapshot> {
    const parent = this.currentSnapshot(database, table);
    if (parent.files.length <= 1) return parent;
    // The whole table passes through DuckDB: bounded memory, spilling under the workspace.
    const scratch = claimScratch(workspaceAt(this.root));
    const duckdb = await openLocalDuckDb(scratch);
    try {
      const change = await prepareChange(duckdb.connection, this.tableDirectory(database, table), parent, 'compact', []);
      try {
        return this.commit({ database, table }, parent, change.draft);
      } catch (error) {
        change.discard();
        throw error;
      }
    } finally {
      duckdb.close();
      releaseScratch(scratch);
    }
  }

  /**
   * Deletes snapshots committed before `olderThan`, except the newest `retainLast` (never the
   * current one), and the data files no retained snapshot references (Athena's `VACUUM`).
   */
  expireSnapshots(database: string, table: string, options: ExpireOptions): ExpireResult {
    this.currentSnapshot(database, table);
    return expireSnapshots(this.tableDirectory(database, table), options);
  }

  /** Deletes data files no retained snapshot references, older than `olderThan` (see `removeOrphanFiles`). */
  removeOrphanFiles(database: string, table: string, options: OrphanOptions): string[] {
    this.currentSnapshot(database, table);
    return removeOrphanFiles(this.tableDirectory(database, table), options);
  }

  /**
   * Stores a view's DuckDB `SELECT` so it outlives this connection, as Athena's `CREATE OR REPLACE
   * VIEW` stores it in Glue; `attachLake` creates it on every connection after the tables.
   */
  replaceView(database: string, view: string, select: string): void {
    if (this.hasTable(database, view)) throw new LakeError(`${qualifiedName({ database, table: view })} is a table, not a view: a view cannot replace it`);
    replaceView(this.root, { database, table: view }, select);
  }

  hasView(database: string, view: string): boolean {
    const name = { database, table: view };
    checkTableName(name);
    return existsSync(viewFile(this.root, name));
  }

  /** Every stored view, sorted by database then name. */
  views(): LakeView[] {
    return listViews(this.root);
  }

  private commit(name: TableName, parent: Snapshot | null, draft: ChangeDraft): Snapshot {
    const snapshot: Snapshot = {
      formatVersion: 1,
      snapshotId: newSnapshotId(),
      parentSnapshotId: parent === null ? null : parent.snapshotId,
      sequence: (parent === null ? 0 : parent.sequence) + 1,
      committedAt: this.now().toISOString(),
      operation: draft.operation,
      summary: draft.summary,
      schema: draft.schema,
      files: draft.files,
    };
    commitManifest(tableDirectory(this.root, name), qualifiedName(name), snapshot);
    return snapshot;
  }

  private missingTable(name: TableName): LakeError {
    return new LakeError(`table ${qualifiedName(name)} does not exist in the lake at ${this.root}`);
  }
}
