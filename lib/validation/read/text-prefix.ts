import { textChunks } from './text-chunks.ts';

/** The first bytes of a (decompressed) text file. */
export interface TextPrefix {
  readonly bytes: Buffer;
  /** True when `bytes` is the whole file. */
  readonly complete: boolean;
}

/** Reads at most `maxBytes` from the start of the file, decompressing when `gzip`. */
export async function readTextPrefix(file: string, gzip: boolean, maxBytes: number): Promise<TextPrefix> {
  const chunks: Buffer[] = [];
  let length = 0;
  // One byte more than asked tells whether anything follows the prefix.
  for await (const chunk of textChunks(file, gzip)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > maxBytes) break;
  }
  const bytes = Buffer.concat(chunks, length);
  return length > maxBytes ? { bytes: bytes.subarray(0, maxBytes), complete: false } : { bytes, complete: true };
}
