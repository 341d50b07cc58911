import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CommitConflictError } from './lake-errors.ts';
import { manifestSequences, readManifest } from './manifest-file.ts';
import type { Snapshot } from './snapshot.ts';
import { manifestPath, metadataDirectory } from './table-layout.ts';
import { writeDurably } from '../durable-file.ts';

/**
 * True when `snapshot` landed in a slot that expiry had emptied below newer commits: its writer
 * built on a parent that stopped being current long ago. A later commit built on `snapshot`
 * itself would be its child at sequence + 1.
 */
function landedBelowNewerHistory(tableDirectory: string, snapshot: Snapshot): boolean {
  const later = manifestSequences(tableDirectory).filter((sequence) => sequence > snapshot.sequence);
  if (later.length === 0) return false;
  return readManifest(tableDirectory, snapshot.sequence + 1)?.parentSnapshotId !== snapshot.snapshotId;
}

/**
 * Publishes `snapshot` as its table's next commit, or throws `CommitConflictError` when another
 * writer got there first. The manifest is written completely under a temporary name and then
 * hard-linked to `metadata/<sequence>.json`: a link never replaces an existing file, so of two
 * writers built on the same parent exactly one gets the sequence, and no reader ever sees a
 * partly written manifest. The current snapshot is the highest sequence, so a commit that finds
 * its slot emptied by expiry is withdrawn before any reader takes it for current.
 */
export function commitManifest(tableDirectory: string, tableLabel: string, snapshot: Snapshot): void {
  const { sequence } = snapshot;
  const metadata = metadataDirectory(tableDirectory);
  mkdirSync(metadata, { recursive: true });
  const target = manifestPath(tableDirectory, sequence);
  const staged = join(metadata, `.${randomUUID()}.json.tmp`);
  writeDurably(staged, `${JSON.stringify(snapshot, null, 2)}\n`);
  try {
    linkSync(staged, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CommitConflictError(tableLabel, sequence, `another writer committed sequence ${sequence} first`);
    }
    throw error;
  } finally {
    rmSync(staged, { force: true });
  }

  if (landedBelowNewerHistory(tableDirectory, snapshot)) {
    rmSync(target, { force: true });
    throw new CommitConflictError(
      tableLabel,
      sequence,
      `the table has commits newer than sequence ${sequence - 1}, which this change was built on`,
    );
  }
}
