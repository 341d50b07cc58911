/**
 * S3 object versioning for the local S3 server (s3rver 3.7 keeps none): every object write gets
 * its own version id (`x-amz-version-id`), GetObject, HeadObject and CopyObject with a version id
 * serve exactly that version, and a plain read sees the newest write. Two processes writing one
 * key at once (two `lakehouse run`s of files with the same name) each keep their own version,
 * because a version's bytes go straight from the request to a file only that write names.
 *
 * Versions live beside the object in s3rver's folders, `<name>._S3rver_versions/<version id>`
 * (bytes) and `<version id>.json` (metadata), plus `current` naming the newest; s3rver lists only
 * `._S3rver_object` files, so listings show objects, not versions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The part of s3rver's `FilesystemStore` the controllers of object reads and writes call. */
export interface ObjectStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getObject(bucket: string, key: string, options?: ByteRange): Promise<unknown>;
  putObject(object: StoredObject): Promise<{ md5: string; size: number }>;
  existsObject(bucket: string, key: string): Promise<boolean>;
  getMetadata(bucket: string, key: string): Promise<Record<string, string | number>>;
  copyObject(
    sourceBucket: string,
    sourceKey: string,
    bucket: string,
    key: string,
    replacementMetadata: Record<string, unknown> | null,
  ): Promise<Record<string, string | number>>;
}

interface ByteRange {
  readonly start?: number;
  readonly end?: number;
}

/** s3rver's `S3Object`: what its controllers hand to and expect from a store. */
interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Readable | Buffer | null;
  readonly metadata: Record<string, string | number>;
  range?: { start: number; end: number };
}

type S3ObjectConstructor = (new (bucket: string, key: string, content: Readable | null, metadata: Record<string, string | number>) => StoredObject) & {
  readonly ALLOWED_METADATA: readonly string[];
};

// s3rver ships no types and is CommonJS.
const require = createRequire(import.meta.url);
const S3Object = require('s3rver/lib/models/object.js') as S3ObjectConstructor;

export const VERSION_ID_HEADER = 'x-amz-version-id';
const CURRENT = 'current';

/** `<bucket>/<key>?versionId=<id>` as s3rver's copy controller reads `x-amz-copy-source` (decodeURI keeps `%3F`). */
const VERSIONED_COPY_SOURCE = /^(.*)\?versionId=([^&]+)$/;

/** A fresh S3-like version id: opaque, URL-safe, unique. */
export function newVersionId(): string {
  return randomUUID().replaceAll('-', '');
}

function versionsDirectory(store: ObjectStore, bucket: string, key: string): string {
  return store.getResourcePath(bucket, key, 'versions');
}

/** The newest version id of an object, if it was written with versioning. */
export async function currentVersionId(store: ObjectStore, bucket: string, key: string): Promise<string | undefined> {
  try {
    return (await readFile(join(versionsDirectory(store, bucket, key), CURRENT), 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readVersionMetadata(store: ObjectStore, bucket: string, key: string, versionId: string): Promise<Record<string, string | number> | undefined> {
  // A version id is a path segment here: anything else than an id this server made names no version.
  if (!/^[0-9a-f]{32}$/.test(versionId)) return undefined;
  try {
    return JSON.parse(await readFile(join(versionsDirectory(store, bucket, key), `${versionId}.json`), 'utf8')) as Record<string, string | number>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Another process may read the file meanwhile (two local runs share the folders): it sees the old text or the new, never half. */
async function replaceFile(file: string, text: string): Promise<void> {
  const staged = `${file}.${newVersionId()}.tmp`;
  await writeFile(staged, text);
  await rename(staged, file);
}

/** What s3rver keeps of an object's metadata (`FilesystemStore.putMetadata`). */
function storedMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([name]) => S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')),
  );
}

/**
 * Records the version whose bytes are in its file, then makes it the current object: bytes,
 * metadata and the current version id are each replaced by a rename, so a reader in another
 * process never sees half a file.
 */
async function publishVersion(
  store: ObjectStore,
  bucket: string,
  key: string,
  versionId: string,
  metadata: Record<string, unknown>,
  written: { readonly md5: string; readonly size: number },
): Promise<void> {
  const directory = versionsDirectory(store, bucket, key);
  const kept = storedMetadata(metadata);
  const versionMetadata = { ...kept, etag: JSON.stringify(written.md5), 'last-modified': new Date().toUTCString(), 'content-length': written.size };
  await replaceFile(join(directory, `${versionId}.json`), JSON.stringify(versionMetadata));
  const objectPath = store.getResourcePath(bucket, key, 'object');
  const staged = `${objectPath}.${versionId}.tmp`;
  await copyFile(join(directory, versionId), staged);
  await rename(staged, objectPath);
  await replaceFile(store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(kept, null, 2));
  await replaceFile(store.getResourcePath(bucket, key, 'object.md5'), written.md5);
  await replaceFile(join(directory, CURRENT), versionId);
}

/** Streams the request body into the version's own file, hashing it as s3rver does. */
async function writeVersionBytes(content: Readable | Buffer, file: string): Promise<{ md5: string; size: number }> {
  await mkdir(dirname(file), { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(content) ? [content] : content;
  await pipeline(
    source,
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    }),
    createWriteStream(file),
  );
  return { md5: md5.digest('hex'), size };
}

/** What one request does with versions: the id its write creates, or the version it reads. */
export type VersionAccess = { readonly write: string } | { readonly read: string };

/**
 * A view of the store for one request: writes become new versions, and reads of a version (or of
 * a copy source naming one) are served from the versions folder. Everything else is the store's.
 */
export function versionedStore<Store extends ObjectStore>(store: Store, access: VersionAccess): Store {
  const view = Object.create(store) as Store;
  const sourceVersion = (key: string): { key: string; versionId?: string } => {
    const match = VERSIONED_COPY_SOURCE.exec(key);
    return match === null ? { key } : { key: match[1]!, versionId: decodeURIComponent(match[2]!) };
  };

  view.getObject = async (bucket, key, options) => {
    if (!('read' in access)) return store.getObject(bucket, key, options);
    const metadata = await readVersionMetadata(store, bucket, key, access.read);
    if (metadata === undefined) return null;
    const lastByte = Math.max(0, Number(metadata['content-length']) - 1);
    const range = { start: options?.start ?? 0, end: Math.min(options?.end ?? Infinity, lastByte) };
    const ranged = options !== undefined && (options.start !== undefined || options.end !== undefined);
    const unsatisfiable = range.start < 0 || range.end < range.start;
    const content = unsatisfiable ? null : createReadStream(join(versionsDirectory(store, bucket, key), access.read), range);
    const object = new S3Object(bucket, key, content, metadata);
    if (ranged) object.range = range;
    return object;
  };

  view.putObject = async (object) => {
    if (!('write' in access) || object.content === null) return store.putObject(object);
    const file = join(versionsDirectory(store, object.bucket, object.key), access.write);
    const written = await writeVersionBytes(object.content, file);
    await publishVersion(store, object.bucket, object.key, access.write, object.metadata, written);
    return written;
  };

  view.existsObject = async (bucket, key) => {
    const source = sourceVersion(key);
    if (source.versionId === undefined) return store.existsObject(bucket, key);
    return (await readVersionMetadata(store, bucket, source.key, source.versionId)) !== undefined;
  };

  view.copyObject = async (sourceBucket, sourceKey, bucket, key, replacementMetadata) => {
    if (!('write' in access)) return store.copyObject(sourceBucket, sourceKey, bucket, key, replacementMetadata);
    const source = sourceVersion(sourceKey);
    const versionId = source.versionId ?? (await currentVersionId(store, sourceBucket, source.key));
    const sourceMetadata =
      versionId === undefined
        ? await store.getMetadata(sourceBucket, source.key)
        : await readVersionMetadata(store, sourceBucket, source.key, versionId);
    if (sourceMetadata === undefined) throw new Error(`no version '${versionId}' of s3://${sourceBucket}/${source.key}`);
    const sourceFile =
      versionId === undefined
        ? store.getResourcePath(sourceBucket, source.key, 'object')
        : join(versionsDirectory(store, sourceBucket, source.key), versionId);
    const file = join(versionsDirectory(store, bucket, key), access.write);
    await mkdir(dirname(file), { recursive: true });
    await copyFile(sourceFile, file);
    const written = { md5: String(sourceMetadata['etag']).replaceAll('"', ''), size: Number(sourceMetadata['content-length']) };
    await publishVersion(store, bucket, key, access.write, replacementMetadata ?? sourceMetadata, written);
    return store.getMetadata(bucket, key);
  };

  return view;
}
