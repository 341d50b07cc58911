/**
 * A file written whole and flushed to disk before anyone can name it: the lake's commits and the
 * model registry's versions are staged this way and then linked into place, so a crash leaves
 * either the complete file or none.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Creates `path` (failing if it exists) with `text`, synced to disk. */
export function writeDurably(path: string, text: string): void {
  const descriptor = openSync(path, 'wx');
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
