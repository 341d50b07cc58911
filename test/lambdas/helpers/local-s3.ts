/** The local S3 server of `lib/local/s3-server.ts` for the validator tests, its files in a temporary directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { startS3Server } from '../../../lib/local/s3-server.ts';

export { LOCAL_S3_CREDENTIALS, LOCAL_S3_REGION } from '../../../lib/local/s3-server.ts';

export interface LocalS3 {
  readonly endpoint: string;
  readonly client: S3Client;
  /** Stops the server and deletes its files. */
  close(): Promise<void>;
}

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  // Unversioned, as these tests name deliveries by ETag; versions are tested with the server itself.
  const server = await startS3Server({ directory, buckets, versioning: false });
  return {
    endpoint: server.endpoint,
    client: server.client,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
