import { statSync, type Stats } from 'node:fs';
import { UsageError } from './usage-error.ts';

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A file argument that exists and is a file; else a usage error saying which it is not. `what`: `file`, `data file`, ... */
export function requireFile(path: string, what: string): void {
  const stats = statOrUndefined(path);
  if (stats === undefined) throw new UsageError(`no such ${what}: ${path}`);
  if (stats.isDirectory()) throw new UsageError(`${path} is a directory, not a ${what}`);
  if (!stats.isFile()) throw new UsageError(`${path} is not a regular file, so it cannot be the ${what}`);
}

/** A directory argument that exists and is a directory. */
export function requireDirectory(path: string): void {
  const stats = statOrUndefined(path);
  if (stats === undefined) throw new UsageError(`no such directory: ${path}`);
  if (!stats.isDirectory()) throw new UsageError(`${path} is a file, not a directory`);
}
