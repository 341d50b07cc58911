/**
 * A real local S3 server (s3rver) on 127.0.0.1 and a free port, for the offline runtime and the
 * tests: the validator's unchanged S3 calls reach it through a client configured as DESIGN.md's
 * s3rver facts require.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { currentVersionId, newVersionId, type ObjectStore, VERSION_ID_HEADER, versionedStore } from './s3-object-versions.ts';

/** s3rver checks request signatures against these fixed credentials. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_S3_REGION = 'eu-west-1';

interface KoaContext {
  readonly method: string;
  readonly status: number;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params?: { readonly bucket?: string; readonly key?: string };
  store: ObjectStore & {
    putSubresource(bucket: string, key: string, resource: unknown): Promise<void>;
    deleteSubresource(bucket: string, key: string, type: string): Promise<void>;
  };
  set(header: string, value: string): void;
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

/** The SDK adds `x-id=<operation>` to every URL; any other query parameter names a subresource. */
function namesNoSubresource(query: Record<string, unknown>, ...allowed: string[]): boolean {
  return Object.keys(query).every((name) => name === 'x-id' || allowed.includes(name));
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
  const isObjectWrite = context.method === 'PUT' && context.status === 200 && namesNoSubresource(context.query);
  if (!isObjectWrite || bucket === undefined || key === undefined) return;
  const header = context.headers['x-amz-tagging'];
  const tags = new URLSearchParams(typeof header === 'string' ? header : '');
  if (tags.size === 0) await context.store.deleteSubresource(bucket, key, 'tagging');
  else await context.store.putSubresource(bucket, key, new TaggingConfiguration(taggingXml(tags)));
};

/** `/<bucket>/<key>` of a path-style object request; s3rver's router has not parsed it yet. */
function objectOf(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  return match === null ? undefined : { bucket: decodeURIComponent(match[1]!), key: decodeURIComponent(match[2]!) };
}

/**
 * Versioning as S3 does it with versioning on (see `s3-object-versions.ts`): an object write
 * (PutObject, CopyObject) stores a new version and answers its id; a GetObject or HeadObject with
 * `versionId` serves that version; a plain one serves the newest and names its version.
 */
const keepObjectVersions: Middleware = async (context, next) => {
  const object = objectOf(context.path);
  const requested = context.query['versionId'];
  const succeeded = (): boolean => context.status >= 200 && context.status < 300;
  if (object === undefined) return next();
  if (context.method === 'PUT' && namesNoSubresource(context.query)) {
    const versionId = newVersionId();
    context.store = versionedStore(context.store, { write: versionId });
    await next();
    if (succeeded()) context.set(VERSION_ID_HEADER, versionId);
    return;
  }
  if ((context.method === 'GET' || context.method === 'HEAD') && namesNoSubresource(context.query, 'versionId')) {
    if (typeof requested === 'string') context.store = versionedStore(context.store, { read: requested });
    await next();
    const served = typeof requested === 'string' ? requested : await currentVersionId(context.store, object.bucket, object.key);
    if (succeeded() && served !== undefined) context.set(VERSION_ID_HEADER, served);
    return;
  }
  await next();
};

export interface S3ServerOptions {
  /** Where the buckets are kept, one folder each; what is there already is served as it is. */
  readonly directory: string;
  /** Buckets created when missing. */
  readonly buckets: readonly string[];
  /** The client's region; s3rver ignores it. @default LOCAL_S3_REGION */
  readonly region?: string;
  /**
   * Every bucket keeps object versions, as every zone bucket of the platform does; off, objects
   * have no version id and are known by their ETag. @default true
   */
  readonly versioning?: boolean;
}

export interface S3Server {
  /** `http://127.0.0.1:<port>`: an IP address, so the SDK addresses buckets by path. */
  readonly endpoint: string;
  /** A client configured as DESIGN.md's s3rver facts require. */
  readonly client: S3Client;
  readonly directory: string;
  /** The file holding an object's bytes, for people who want to open it. */
  objectPath(bucket: string, key: string): string;
  /** Stops the server; the data stays in `directory`. */
  close(): Promise<void>;
}

/** s3rver's file layout: `<directory>/<bucket>/<key folders>/<name>._S3rver_object`. */
function storedObjectPath(directory: string, bucket: string, key: string): string {
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  return join(directory, bucket, ...parts, `${name}._S3rver_object`);
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { directory } = options;
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  server.middleware.unshift(applyTaggingHeader);
  if (options.versioning ?? true) server.middleware.unshift(keepObjectVersions);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // This client only ever talks to the local server: the SDK's notice about Node versions it will
  // drop in 2027 concerns AWS, and would be the only thing a successful local run prints unasked.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new S3Client({
    endpoint,
    region: options.region ?? LOCAL_S3_REGION,
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
    // With the SDK's default checksums a streamed upload is stored corrupt by s3rver, silently.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    directory,
    objectPath: (bucket, key) => storedObjectPath(directory, bucket, key),
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
