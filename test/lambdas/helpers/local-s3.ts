/**
 * A real local S3 server (s3rver) for the validator tests, on 127.0.0.1 and a free port, with
 * its files in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';

/** s3rver checks request signatures against these fixed credentials. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_S3_REGION = 'eu-west-1';

interface KoaContext {
  readonly method: string;
  readonly status: number;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params?: { readonly bucket?: string; readonly key?: string };
  readonly store: {
    putSubresource(bucket: string, key: string, resource: unknown): Promise<void>;
    deleteSubresource(bucket: string, key: string, type: string): Promise<void>;
  };
}

type Middleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;

interface S3rverServer {
  readonly middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

// s3rver ships no types and is CommonJS.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
const { getConfigModel } = require('s3rver/lib/models/config.js') as { getConfigModel(type: 'tagging'): new (xml: string) => unknown };
const TaggingConfiguration = getConfigModel('tagging');

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function taggingXml(tags: URLSearchParams): string {
  const tagSet = [...tags].map(([key, value]) => `<Tag><Key>${escapeXml(key)}</Key><Value>${escapeXml(value)}</Value></Tag>`);
  return `<Tagging><TagSet>${tagSet.join('')}</TagSet></Tagging>`;
}

/**
 * s3rver 3.7 stores tags only through PutObjectTagging and ignores the `x-amz-tagging` header
 * of PutObject and CopyObject, which S3 applies in the same request (measured: GetObjectTagging
 * returned an empty set). This emulates S3: a successful object write sets exactly the tags of
 * its header, and none without one, replacing any left by an earlier write of the key. (A copy
 * without `TaggingDirective: REPLACE`, which keeps the source's tags on S3, is not emulated.)
 */
const applyTaggingHeader: Middleware = async (context, next) => {
  await next();
  const bucket = context.params?.bucket;
  const key = context.params?.key;
  // The SDK adds `x-id=<operation>` to every URL; any other query parameter names a subresource.
  const isObjectWrite =
    context.method === 'PUT' && context.status === 200 && Object.keys(context.query).every((name) => name === 'x-id');
  if (!isObjectWrite || bucket === undefined || key === undefined) return;
  const header = context.headers['x-amz-tagging'];
  const tags = new URLSearchParams(typeof header === 'string' ? header : '');
  if (tags.size === 0) await context.store.deleteSubresource(bucket, key, 'tagging');
  else await context.store.putSubresource(bucket, key, new TaggingConfiguration(taggingXml(tags)));
};

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: an IP address, so the SDK addresses buckets by path. */
  readonly endpoint: string;
  /** A client configured as DESIGN.md's s3rver facts require. */
  readonly client: S3Client;
  close(): Promise<void>;
}

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  server.middleware.unshift(applyTaggingHeader);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: LOCAL_S3_REGION,
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
    // With the SDK's default checksums a streamed upload is stored corrupt by s3rver, silently.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
