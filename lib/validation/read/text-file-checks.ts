import { stat } from 'node:fs/promises';
import { gzipFailure } from './gzip-integrity.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';
import { foreignEncodingOf, withoutUtf8Bom } from './text-encoding.ts';
import { readTextPrefix, type TextPrefix } from './text-prefix.ts';

export type TextFileCheck = { readonly ok: true; readonly prefix: TextPrefix } | { readonly ok: false; readonly failure: ReadFailure };

/** Enough of the start of a file for a CSV header line; a longer header is refused, not truncated. */
export const TEXT_PREFIX_BYTES = 64 * 1024;

/**
 * What every text format needs before DuckDB reads it: not empty, gzip that decompresses, UTF-8
 * rather than UTF-16. Returns the first bytes (UTF-8 byte-order mark removed) for header and
 * shape checks. The rest of a gzip file is checked by the record scan, which reads it to the end.
 */
export async function checkTextFile(file: string, gzip: boolean): Promise<TextFileCheck> {
  if ((await stat(file)).size === 0) return { ok: false, failure: unreadable('file is empty') };
  let prefix: TextPrefix;
  try {
    prefix = await readTextPrefix(file, gzip, TEXT_PREFIX_BYTES);
  } catch (error) {
    const corrupt = gzipFailure(error);
    if (corrupt === undefined) throw error;
    return { ok: false, failure: corrupt };
  }
  const encoding = foreignEncodingOf(prefix.bytes);
  if (encoding !== undefined) return { ok: false, failure: unreadable(`file is ${encoding} encoded; expected UTF-8`) };
  const text = withoutUtf8Bom(prefix.bytes);
  if (text.length === 0 && prefix.complete) return { ok: false, failure: unreadable('file is empty') };
  return { ok: true, prefix: { bytes: text, complete: prefix.complete } };
}
