/**
 * A folder kept equal to a set of files, touching only what differs: a file whose bytes are
 * already right is left alone (its readers, such as the assembly cache's key, see nothing new),
 * and each file written is staged outside the folder and renamed into place, so a process reading
 * the folder meanwhile, or another one syncing it to the same files, never sees a partial file.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

function bytesOf(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes `folder` hold exactly `files` (bytes by `/`-separated path relative to it); `staging` must be on the same file system and outside `folder`. */
export function syncFolder(folder: string, files: ReadonlyMap<string, Buffer>, staging: string): void {
  mkdirSync(staging, { recursive: true });
  mkdirSync(folder, { recursive: true });
  for (const [path, bytes] of files) {
    const target = join(folder, path);
    if (bytesOf(target)?.equals(bytes)) continue;
    mkdirSync(dirname(target), { recursive: true });
    const staged = join(staging, `${process.pid}-${randomUUID()}`);
    writeFileSync(staged, bytes);
    renameSync(staged, target);
  }
  const wanted = new Set([...files.keys()].flatMap((path) => path.split('/').map((_part, index, parts) => parts.slice(0, index + 1).join('/'))));
  for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort().reverse()) {
    const path = relative(folder, join(folder, entry)).split(sep).join('/');
    if (!wanted.has(path)) rmSync(join(folder, entry), { recursive: true, force: true });
  }
}
