/**
 * One competing writer process for the commit race test: waits for the agreed start time, then
 * tries to commit the next sequence after the given parent manifest.
 * Usage: race-writer.ts <table directory> <parent manifest JSON> <start epoch ms>
 */
import { commitManifest } from '../../../lib/local/lake/commit-manifest.ts';
import { CommitConflictError } from '../../../lib/local/lake/lake-errors.ts';
import { newSnapshotId } from '../../../lib/local/lake/snapshot-id.ts';
import type { Snapshot } from '../../../lib/local/lake/snapshot.ts';

const [tableDirectory, parentText, startText] = process.argv.slice(2) as [string, string, string];
const parent = JSON.parse(parentText) as Snapshot;
const child: Snapshot = {
  ...parent,
  snapshotId: newSnapshotId(),
  parentSnapshotId: parent.snapshotId,
  sequence: parent.sequence + 1,
  committedAt: new Date().toISOString(),
  operation: 'add-columns',
  schema: [...parent.schema, { name: `added_by_${process.pid}`, type: 'INTEGER' }],
};

await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startText) - Date.now())));
try {
  commitManifest(tableDirectory, 'race', child);
  process.stdout.write(JSON.stringify({ won: child.snapshotId }));
} catch (error) {
  if (!(error instanceof CommitConflictError)) throw error;
  process.stdout.write(JSON.stringify({ conflict: error.message }));
}
