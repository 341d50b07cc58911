import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readManifests } from './manifest-file.ts';
import { dataDirectory } from './table-layout.ts';

/**
 * A data file younger than this may belong to a commit in flight (written, its manifest not yet
 * linked), so it is never taken for an orphan. A load commits right after writing its file.
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export interface OrphanOptions {
  /** Files modified at or after this instant are kept. */
  readonly olderThan: Date;
}

/**
 * Deletes the data files of a table that no retained manifest references and that are older than
 * `olderThan` (Iceberg's `remove_orphan_files`, part of Athena's `VACUUM`): what a writer killed
 * between writing its file and committing it left behind, or a commit that lost a race and died
 * before discarding its file. Returns them, relative to the table folder. Manifests are read after
 * the listing, so a file committed meanwhile is seen as referenced.
 */
export function removeOrphanFiles(tableDirectory: string, options: OrphanOptions): string[] {
  const data = dataDirectory(tableDirectory);
  let names: string[];
  try {
    names = readdirSync(data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const cutoff = options.olderThan.getTime();
  const aged = names
    .map((name) => `data/${name}`)
    .filter((file) => {
      try {
        return statSync(join(tableDirectory, file)).mtimeMs < cutoff;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    });
  const referenced = new Set(readManifests(tableDirectory).flatMap((snapshot) => snapshot.files));
  const orphans = aged.filter((file) => !referenced.has(file));
  for (const file of orphans) rmSync(join(tableDirectory, file), { force: true });
  return orphans;
}
