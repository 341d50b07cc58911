import { textChunks } from './text-chunks.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';

/**
 * Decompresses the whole file, streaming, and keeps nothing. DuckDB reads a truncated gzip
 * file without complaint and simply misses the rows after the cut, so the integrity check
 * (zlib verifies the length and CRC trailer) has to happen before DuckDB sees the file.
 */
export async function gzipProblem(file: string): Promise<ReadFailure | undefined> {
  try {
    // Reading to the end is the check: zlib throws on a missing or wrong trailer.
    for await (const _chunk of textChunks(file, true));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return unreadable(`gzip data is truncated or corrupt (${reason})`);
  }
  return undefined;
}
