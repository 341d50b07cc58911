import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TableName } from './snapshot.ts';

/**
 * Where a local table lives under the lake root:
 * `tables/<database>/<table>/data/<uuid>.parquet` and `tables/<database>/<table>/metadata/<sequence>.json`;
 * a view: `views/<database>/<view>.sql`.
 */

/** Zero-padded so a directory listing sorts manifests in commit order. */
const SEQUENCE_DIGITS = 10;
const MANIFEST_FILE = /^(\d+)\.json$/;

export function tablesDirectory(root: string): string {
  return join(root, 'tables');
}

export function tableDirectory(root: string, name: TableName): string {
  return join(tablesDirectory(root), name.database, name.table);
}

export function metadataDirectory(tableDirectory: string): string {
  return join(tableDirectory, 'metadata');
}

export function dataDirectory(tableDirectory: string): string {
  return join(tableDirectory, 'data');
}

export function manifestPath(tableDirectory: string, sequence: number): string {
  return join(metadataDirectory(tableDirectory), `${String(sequence).padStart(SEQUENCE_DIGITS, '0')}.json`);
}

/** The sequence a manifest file name carries, or undefined for anything else (temp files). */
export function manifestSequence(fileName: string): number | undefined {
  const match = MANIFEST_FILE.exec(fileName);
  return match === null ? undefined : Number(match[1]);
}

/** A fresh data file name, relative to the table folder as manifests record it. */
export function newDataFile(): string {
  return `data/${randomUUID()}.parquet`;
}

export function viewsDirectory(root: string): string {
  return join(root, 'views');
}

export function viewFile(root: string, name: TableName): string {
  return join(viewsDirectory(root), name.database, `${name.table}.sql`);
}
