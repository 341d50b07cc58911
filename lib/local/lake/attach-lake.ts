import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../../sql/ansi.ts';
import { LakeError } from './lake-errors.ts';
import type { LocalLake } from './local-lake.ts';
import type { Snapshot, TableName } from './snapshot.ts';
import { snapshotRelation, snapshotsRelation } from './table-relation.ts';
import { qualifiedName } from './table-names.ts';
import type { LakeView } from './view-catalog.ts';

/**
 * How the lake appears in DuckDB, named as in Athena. For each table, in schema `<database>`:
 * - `"<table>"`: the current snapshot, or the one `asOf` pins;
 * - `"<table>$snapshots"`: its retained snapshots, shaped like Iceberg's `$snapshots`;
 * - `"<table>@<snapshot id>"`: the table as of that snapshot. This view name is the DuckDB
 *   rendering of Athena's `FOR VERSION AS OF <snapshot id>`, so time travel stays plain SQL.
 * Views show the lake as it was when attached; `LocalLake.write` refreshes the table it wrote.
 * Then each stored view (`LocalLake.replaceView`), as `"<database>"."<view>"`.
 */

export interface AttachOptions {
  /** Pins tables, keyed `<database>.<table>`, to a snapshot id instead of the current snapshot. */
  readonly asOf?: Readonly<Record<string, number>>;
  /**
   * Called for a table whose manifests cannot be read (a damaged manifest) or a view that does not
   * bind, which is then left out so the other tables stay queryable. @default the error is thrown
   */
  readonly onUnreadable?: (name: TableName, error: LakeError) => void;
}

export function snapshotsViewName(table: string): string {
  return `${table}$snapshots`;
}

export function timeTravelViewName(table: string, snapshotId: number): string {
  return `${table}@${snapshotId}`;
}

function view(database: string, name: string, select: string): string {
  return `CREATE OR REPLACE VIEW ${quoteIdentifier(database)}.${quoteIdentifier(name)} AS ${select}`;
}

function schemaAndTableView(lake: LocalLake, name: TableName, snapshot: Snapshot): string[] {
  const directory = lake.tableDirectory(name.database, name.table);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(name.database)}`,
    view(name.database, name.table, snapshotRelation(directory, snapshot)),
  ];
}

/** Points `"<database>"."<table>"` at `snapshot`: what a write's statements read as the table. */
export async function showSnapshot(
  connection: DuckDBConnection,
  lake: LocalLake,
  name: TableName,
  snapshot: Snapshot,
): Promise<void> {
  await connection.run(schemaAndTableView(lake, name, snapshot).join(';\n'));
}

/**
 * Shows a just-committed snapshot: the table view, `$snapshots` and the new snapshot's own view.
 * Older snapshots' views are left as they are, so an expiry running meanwhile cannot fail it.
 */
export async function showCommit(
  connection: DuckDBConnection,
  lake: LocalLake,
  name: TableName,
  committed: Snapshot,
): Promise<void> {
  const { database, table } = name;
  const directory = lake.tableDirectory(database, table);
  const statements = [
    ...schemaAndTableView(lake, name, committed),
    view(database, snapshotsViewName(table), snapshotsRelation(directory, lake.snapshots(database, table))),
    view(database, timeTravelViewName(table, committed.snapshotId), snapshotRelation(directory, committed)),
  ];
  await connection.run(statements.join(';\n'));
}

/** (Re)creates one table's views; `pinnedSnapshotId` must be one of its retained snapshots. */
export async function attachTable(
  connection: DuckDBConnection,
  lake: LocalLake,
  name: TableName,
  pinnedSnapshotId?: number,
): Promise<void> {
  const { database, table } = name;
  const directory = lake.tableDirectory(database, table);
  const snapshots = lake.snapshots(database, table);
  const shown =
    pinnedSnapshotId === undefined ? snapshots.at(-1)! : lake.snapshot(database, table, pinnedSnapshotId);
  const statements = [
    ...schemaAndTableView(lake, name, shown),
    view(database, snapshotsViewName(table), snapshotsRelation(directory, snapshots)),
    ...snapshots.map((snapshot) =>
      view(database, timeTravelViewName(table, snapshot.snapshotId), snapshotRelation(directory, snapshot)),
    ),
  ];
  await connection.run(statements.join(';\n'));
}

/**
 * Creates the lake's stored views on `connection`. A view may read another, and DuckDB binds a
 * view when it is created, so views are created in passes until none more binds; one that never
 * binds (it reads a table that is gone) is unreadable.
 */
async function attachViews(connection: DuckDBConnection, lake: LocalLake, options: AttachOptions): Promise<TableName[]> {
  let pending = lake.views();
  const attached: TableName[] = [];
  while (pending.length > 0) {
    const failed: { view: LakeView; error: Error }[] = [];
    for (const stored of pending) {
      try {
        await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(stored.database)};\n${view(stored.database, stored.table, stored.select)}`);
        attached.push({ database: stored.database, table: stored.table });
      } catch (error) {
        failed.push({ view: stored, error: error as Error });
      }
    }
    if (failed.length === pending.length) {
      for (const { view: stored, error } of failed) {
        const unreadable = new LakeError(`view ${qualifiedName(stored)} does not bind: ${error.message}`, { cause: error });
        if (options.onUnreadable === undefined) throw unreadable;
        options.onUnreadable({ database: stored.database, table: stored.table }, unreadable);
      }
      break;
    }
    pending = failed.map(({ view: stored }) => stored);
  }
  return attached;
}

/** Makes every table and view of the lake queryable on `connection`; returns those attached. */
export async function attachLake(
  connection: DuckDBConnection,
  lake: LocalLake,
  options: AttachOptions = {},
): Promise<readonly TableName[]> {
  const tables = lake.tables();
  const pins = new Map(Object.entries(options.asOf ?? {}));
  const known = new Map(tables.map((name) => [qualifiedName(name), name]));
  for (const [key, snapshotId] of pins) {
    const name = known.get(key);
    if (name === undefined) throw new LakeError(`asOf names table '${key}', which is not in the lake at ${lake.root}`);
    lake.snapshot(name.database, name.table, snapshotId);
  }
  const attached: TableName[] = [];
  for (const name of tables) {
    try {
      await attachTable(connection, lake, name, pins.get(qualifiedName(name)));
      attached.push(name);
    } catch (error) {
      if (!(error instanceof LakeError) || options.onUnreadable === undefined) throw error;
      options.onUnreadable(name, error);
    }
  }
  return [...attached, ...(await attachViews(connection, lake, options))];
}
