import { unreadable, type ReadFailure } from './read-failure.ts';

/**
 * The failure behind an error met while decompressing, or undefined when the error is not
 * zlib's. DuckDB reads a truncated gzip file without complaint and simply misses the rows after
 * the cut, so every gzip file is decompressed to its end by Node first (in the record scan):
 * zlib verifies the length and CRC trailer and throws on a missing or wrong one.
 */
export function gzipFailure(error: unknown): ReadFailure | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return undefined;
  const reason = error instanceof Error ? error.message : String(error);
  return unreadable(`gzip data is truncated or corrupt (${reason})`);
}
