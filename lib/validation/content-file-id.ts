import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The `file_id` of a local file that never landed (`lakehouse validate <file>`): a hash of its
 * bytes, 32 hex digits, so validating the same content again gives the same id and other content
 * another. A file that came through the landing zone is identified by its delivery instead
 * (`deliveryFileId` in lib/ingest/delivery-file-id.ts: bucket, key and version), which its caller
 * passes, so two deliveries of the same bytes stay two deliveries.
 */
export async function contentFileId(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 32);
}
