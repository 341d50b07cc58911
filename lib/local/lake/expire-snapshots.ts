import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LakeError } from './lake-errors.ts';
import { readManifests } from './manifest-file.ts';
import type { Snapshot } from './snapshot.ts';
import { manifestPath } from './table-layout.ts';

export interface ExpireOptions {
  /** Snapshots committed before this instant may expire. */
  readonly olderThan: Date;
  /**
   * How many of the newest snapshots to keep whatever their age; at least 1, the current one.
   * @default 1
   */
  readonly retainLast?: number;
}

export interface ExpireResult {
  readonly expiredSnapshotIds: readonly number[];
  /** Data files deleted, relative to the table folder. */
  readonly deletedFiles: readonly string[];
}

function expiring(snapshots: readonly Snapshot[], options: ExpireOptions): Set<Snapshot> {
  const retainLast = options.retainLast ?? 1;
  if (!Number.isSafeInteger(retainLast) || retainLast < 1) {
    throw new LakeError(`retainLast must be a whole number of at least 1 (the current snapshot), got ${retainLast}`);
  }
  const cutoff = options.olderThan.getTime();
  if (Number.isNaN(cutoff)) throw new LakeError('olderThan is not a valid date');
  const newestKept = snapshots.length - retainLast;
  return new Set(
    snapshots.filter((snapshot, index) => index < newestKept && Date.parse(snapshot.committedAt) < cutoff),
  );
}

/**
 * Deletes expired manifests, oldest first, then the data files only they referenced. Files are
 * chosen from expired manifests, never by listing `data/`, so a concurrent writer's file that no
 * manifest references yet is never taken for garbage; and a commit racing this one builds on the
 * current snapshot, which is always retained.
 */
export function expireSnapshots(tableDirectory: string, options: ExpireOptions): ExpireResult {
  const snapshots = readManifests(tableDirectory);
  const expired = expiring(snapshots, options);
  const retained = snapshots.filter((snapshot) => !expired.has(snapshot));
  const retainedFiles = new Set(retained.flatMap((snapshot) => snapshot.files));
  const deletedFiles = [...new Set([...expired].flatMap((snapshot) => snapshot.files))].filter(
    (file) => !retainedFiles.has(file),
  );

  for (const snapshot of expired) rmSync(manifestPath(tableDirectory, snapshot.sequence), { force: true });
  for (const file of deletedFiles) rmSync(join(tableDirectory, file), { force: true });
  return { expiredSnapshotIds: [...expired].map((snapshot) => snapshot.snapshotId), deletedFiles };
}
