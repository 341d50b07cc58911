import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1024 * 1024;

/**
 * The file's bytes, decompressed when `gzip`, one bounded chunk at a time. Stopping early
 * (`break`) closes the file: callers scan only as far as they need.
 */
export async function* textChunks(file: string, gzip: boolean): AsyncGenerator<Buffer> {
  const source = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const text = gzip ? source.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : source;
  // `pipe` does not forward a read error to the gunzip stream, which would then wait forever.
  if (text !== source) source.on('error', (error) => text.destroy(error));
  try {
    for await (const chunk of text) yield chunk as Buffer;
  } finally {
    source.destroy();
    text.destroy();
  }
}
