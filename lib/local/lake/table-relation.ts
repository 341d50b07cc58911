import { join } from 'node:path';
import { quoteIdentifier, quoteString } from '../../sql/ansi.ts';
import type { Snapshot } from './snapshot.ts';
import { manifestPath } from './table-layout.ts';

/**
 * The absolute path of the data file a row was read from, with `withDataFile`. Table columns are
 * contract columns or the pipeline's `_`-prefixed ones, never this name.
 */
export const DATA_FILE_COLUMN = '__lake_data_file';

export interface RelationOptions {
  /** Adds `DATA_FILE_COLUMN`. @default false */
  readonly withDataFile?: boolean;
}

/** `SELECT` of no rows with the snapshot's columns and types. */
function typedEmpty(snapshot: Snapshot, options: RelationOptions): string {
  const columns = snapshot.schema.map((column) => `CAST(NULL AS ${column.type}) AS ${quoteIdentifier(column.name)}`);
  if (options.withDataFile === true) columns.push(`CAST(NULL AS VARCHAR) AS ${quoteIdentifier(DATA_FILE_COLUMN)}`);
  return `SELECT ${columns.join(', ')} WHERE false`;
}

/**
 * A `SELECT` of a snapshot's rows, typed by its manifest schema. Files written before a column
 * was added lack it; `UNION ALL BY NAME` with the typed empty relation gives them nulls, even
 * when no file has the column yet (where `union_by_name` alone would fail to bind it).
 */
export function snapshotRelation(tableDirectory: string, snapshot: Snapshot, options: RelationOptions = {}): string {
  if (snapshot.files.length === 0) return typedEmpty(snapshot, options);
  const files = snapshot.files.map((file) => quoteString(join(tableDirectory, file)));
  const columns = snapshot.schema.map(
    (column) => `CAST(${quoteIdentifier(column.name)} AS ${column.type}) AS ${quoteIdentifier(column.name)}`,
  );
  const dataFile = options.withDataFile === true;
  if (dataFile) columns.push(quoteIdentifier(DATA_FILE_COLUMN));
  return (
    `SELECT ${columns.join(', ')} FROM (${typedEmpty(snapshot, options)} ` +
    `UNION ALL BY NAME SELECT * FROM read_parquet([${files.join(', ')}], union_by_name = true` +
    `${dataFile ? `, filename = ${quoteString(DATA_FILE_COLUMN)}` : ''}))`
  );
}

/** Iceberg's `summary` keys, so a query written against Athena's `$snapshots` reads the same. */
function summaryMap(snapshot: Snapshot): string {
  const entries: [string, number | undefined][] = [
    ['added-data-files', snapshot.summary.addedFiles],
    ['deleted-data-files', snapshot.summary.removedFiles],
    ['added-records', snapshot.summary.addedRows],
    ['total-records', snapshot.summary.totalRows],
    ['total-data-files', snapshot.files.length],
  ];
  const present = entries.filter((entry): entry is [string, number] => entry[1] !== undefined);
  return `MAP {${present.map(([key, value]) => `${quoteString(key)}: ${quoteString(String(value))}`).join(', ')}}`;
}

function snapshotRow(tableDirectory: string, snapshot: Snapshot): string {
  const parent = snapshot.parentSnapshotId === null ? 'NULL' : String(snapshot.parentSnapshotId);
  return (
    `(CAST(${quoteString(snapshot.committedAt)} AS TIMESTAMP WITH TIME ZONE), ` +
    `CAST(${snapshot.snapshotId} AS BIGINT), CAST(${parent} AS BIGINT), ` +
    `${quoteString(snapshot.operation)}, ${quoteString(manifestPath(tableDirectory, snapshot.sequence))}, ` +
    `${summaryMap(snapshot)})`
  );
}

/**
 * A `SELECT` shaped like Iceberg's `$snapshots` metadata table: `committed_at`, `snapshot_id`,
 * `parent_id`, `operation`, `manifest_list` (here the manifest's path) and `summary`.
 * `snapshots` is never empty: a table exists from its create commit on.
 */
export function snapshotsRelation(tableDirectory: string, snapshots: readonly Snapshot[]): string {
  const rows = snapshots.map((snapshot) => snapshotRow(tableDirectory, snapshot));
  return (
    `SELECT * FROM (VALUES ${rows.join(', ')}) ` +
    `AS snapshots(committed_at, snapshot_id, parent_id, operation, manifest_list, summary)`
  );
}
