import { readdirSync, readFileSync } from 'node:fs';
import type { LakeColumn } from '../../pipeline/lake-write.ts';
import { LakeError } from './lake-errors.ts';
import {
  LAKE_OPERATIONS,
  type LakeOperation,
  type Snapshot,
  type SnapshotSummary,
} from './snapshot.ts';
import { manifestPath, manifestSequence, metadataDirectory } from './table-layout.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isSnapshotId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function isColumn(value: unknown): value is LakeColumn {
  return isRecord(value) && typeof value['name'] === 'string' && typeof value['type'] === 'string';
}

function isSummary(value: unknown): value is SnapshotSummary {
  return (
    isRecord(value) &&
    isCount(value['addedFiles']) &&
    isCount(value['removedFiles']) &&
    isCount(value['totalRows']) &&
    (value['addedRows'] === undefined || isCount(value['addedRows']))
  );
}

/** The first field that breaks the manifest format, or undefined when it holds. */
function brokenField(value: Record<string, unknown>): string | undefined {
  if (value['formatVersion'] !== 1) return 'formatVersion';
  if (!isSnapshotId(value['snapshotId'])) return 'snapshotId';
  if (value['parentSnapshotId'] !== null && !isSnapshotId(value['parentSnapshotId'])) return 'parentSnapshotId';
  if (!isSnapshotId(value['sequence'])) return 'sequence';
  if (typeof value['committedAt'] !== 'string' || Number.isNaN(Date.parse(value['committedAt']))) return 'committedAt';
  if (!LAKE_OPERATIONS.includes(value['operation'] as LakeOperation)) return 'operation';
  if (!isSummary(value['summary'])) return 'summary';
  if (!Array.isArray(value['schema']) || !value['schema'].every(isColumn)) return 'schema';
  if (!Array.isArray(value['files']) || !value['files'].every((file) => typeof file === 'string')) return 'files';
  return undefined;
}

/** Parses a manifest, refusing anything that is not the format this module writes. */
export function parseSnapshot(text: string, path: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LakeError(`${path}: manifest is not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isRecord(value)) throw new LakeError(`${path}: manifest is not a JSON object`);
  const broken = brokenField(value);
  if (broken !== undefined) throw new LakeError(`${path}: manifest field '${broken}' is missing or invalid`);
  return value as unknown as Snapshot;
}

/** Sequences of a table's manifests in commit order; empty when the table has none. */
export function manifestSequences(tableDirectory: string): number[] {
  let names: string[];
  try {
    names = readdirSync(metadataDirectory(tableDirectory));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map(manifestSequence)
    .filter((sequence): sequence is number => sequence !== undefined)
    .sort((a, b) => a - b);
}

/** The manifest of one sequence, or undefined when it is absent (never written, or expired meanwhile). */
export function readManifest(tableDirectory: string, sequence: number): Snapshot | undefined {
  const path = manifestPath(tableDirectory, sequence);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const snapshot = parseSnapshot(text, path);
  if (snapshot.sequence !== sequence) {
    throw new LakeError(`${path}: manifest says sequence ${snapshot.sequence}, its file name says ${sequence}`);
  }
  return snapshot;
}

/** Every retained snapshot in commit order; one expired while listing is simply left out. */
export function readManifests(tableDirectory: string): Snapshot[] {
  return manifestSequences(tableDirectory)
    .map((sequence) => readManifest(tableDirectory, sequence))
    .filter((snapshot): snapshot is Snapshot => snapshot !== undefined);
}
