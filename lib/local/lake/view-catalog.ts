import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { TableName } from './snapshot.ts';
import { viewFile, viewsDirectory } from './table-layout.ts';
import { checkTableName, isAthenaName } from './table-names.ts';

/**
 * The offline stand-in for the views of the Glue catalog: Athena's `CREATE OR REPLACE VIEW`
 * stores a view that outlives the query, so a view one build publishes is read by later builds,
 * `lakehouse query` and a restarted process. Each view is its DuckDB `SELECT`, one file per view,
 * replaced by a rename (atomic), so a reader sees the old definition or the new one, never half.
 */

export interface LakeView extends TableName {
  /** The view's DuckDB `SELECT`, naming lake tables and views as Athena does. */
  readonly select: string;
}

const VIEW_FILE = /^([a-z0-9_]+)\.sql$/;

function entries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Creates the view or replaces its definition, as `CREATE OR REPLACE VIEW` does in Glue. */
export function replaceView(root: string, name: TableName, select: string): void {
  checkTableName(name);
  const file = viewFile(root, name);
  mkdirSync(join(viewsDirectory(root), name.database), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    writeFileSync(temporary, select);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Every stored view, sorted by database then name. */
export function listViews(root: string): LakeView[] {
  const directory = viewsDirectory(root);
  return entries(directory)
    .filter((database) => database.isDirectory() && isAthenaName(database.name))
    .flatMap((database) =>
      entries(join(directory, database.name)).flatMap((entry) => {
        const match = entry.isFile() ? VIEW_FILE.exec(entry.name) : null;
        if (match === null) return [];
        const name = { database: database.name, table: match[1]! };
        return [{ ...name, select: readFileSync(viewFile(root, name), 'utf8') }];
      }),
    )
    .sort((a, b) => a.database.localeCompare(b.database) || a.table.localeCompare(b.table));
}
