import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * A local file's `file_id`: a hash of its bytes, so the same delivery always gets the same id
 * and a re-delivery with other content gets another. (In the cloud the id is a hash of bucket,
 * key and object version, which the caller passes instead.)
 */
export async function localFileId(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 32);
}
