/**
 * The local S3 server keeps object versions as S3 does with versioning on: each write its own
 * version id, reads and copies of a named version served exactly, plain reads the newest.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../lib/local/s3-server.ts';

const BUCKETS = ['landing', 'quarantine'];
let directory: string;
let server: S3Server;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3-server-'));
  server = await startS3Server({ directory, buckets: BUCKETS });
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

async function put(target: S3Server, key: string, body: string): Promise<string> {
  const { VersionId } = await target.client.send(new PutObjectCommand({ Bucket: 'landing', Key: key, Body: body }));
  if (VersionId === undefined) throw new Error('PutObject answered no version id');
  return VersionId;
}

async function read(target: S3Server, key: string, versionId?: string, bucket = 'landing'): Promise<{ body: string; versionId?: string }> {
  const response = await target.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) }));
  return { body: await response.Body!.transformToString(), ...(response.VersionId === undefined ? {} : { versionId: response.VersionId }) };
}

describe('a versioned bucket', () => {
  const key = 'sales/orders/in bound/orders.csv';
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = await put(server, key, 'first delivery\n');
    second = await put(server, key, 'second delivery, longer\n');
  });

  it('gives every write its own version id', () => {
    expect(first).not.toBe(second);
  });

  it('serves each version by its id, and the newest to a plain read, naming its version', async () => {
    expect(await read(server, key, first)).toEqual({ body: 'first delivery\n', versionId: first });
    expect(await read(server, key, second)).toEqual({ body: 'second delivery, longer\n', versionId: second });
    expect(await read(server, key)).toEqual({ body: 'second delivery, longer\n', versionId: second });
  });

  it("answers HeadObject of a version with that version's size and ETag", async () => {
    const head = await server.client.send(new HeadObjectCommand({ Bucket: 'landing', Key: key, VersionId: first }));
    const md5 = (text: string): string => `"${createHash('md5').update(text).digest('hex')}"`;
    expect(head).toMatchObject({ VersionId: first, ContentLength: 'first delivery\n'.length, ETag: md5('first delivery\n') });
    const plain = await server.client.send(new HeadObjectCommand({ Bucket: 'landing', Key: key }));
    expect(plain).toMatchObject({ VersionId: second, ETag: md5('second delivery, longer\n') });
  });

  it('copies exactly the version the copy source names', async () => {
    const copySource = `landing/${key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(first)}`;
    const copy = await server.client.send(new CopyObjectCommand({ Bucket: 'quarantine', Key: 'copied.csv', CopySource: copySource }));
    expect(copy.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(await read(server, 'copied.csv', undefined, 'quarantine')).toEqual({ body: 'first delivery\n', versionId: copy.VersionId });
  });

  it('refuses a version it never made', async () => {
    await expect(read(server, key, '0123456789abcdef0123456789abcdef')).rejects.toThrow(/does not exist/);
    await expect(read(server, key, '../../../etc/passwd')).rejects.toThrow(/does not exist/);
  });

  it('lists objects, not versions', async () => {
    const { Contents } = await server.client.send(new ListObjectsV2Command({ Bucket: 'landing', Prefix: 'sales/' }));
    expect(Contents?.map((object) => object.Key)).toEqual([key]);
  });
});

describe('two servers on one folder, as two `lakehouse run`s are', () => {
  it('keep both of two writes to one key at the same moment, each under its own version', async () => {
    const other = await startS3Server({ directory, buckets: BUCKETS });
    try {
      const big = (label: string): string => `${label}\n`.repeat(200_000);
      const [a, b] = await Promise.all([put(server, 'sales/orders/same.csv', big('from a')), put(other, 'sales/orders/same.csv', big('from b'))]);
      expect((await read(other, 'sales/orders/same.csv', a)).body).toBe(big('from a'));
      expect((await read(server, 'sales/orders/same.csv', b)).body).toBe(big('from b'));
      expect([big('from a'), big('from b')]).toContain((await read(server, 'sales/orders/same.csv')).body);
    } finally {
      await other.close();
    }
  });
});

describe('with versioning off', () => {
  it('names no version, as an unversioned bucket', async () => {
    const plainDirectory = await mkdtemp(join(tmpdir(), 's3-server-plain-'));
    const plain = await startS3Server({ directory: plainDirectory, buckets: BUCKETS, versioning: false });
    try {
      const { VersionId, ETag } = await plain.client.send(new PutObjectCommand({ Bucket: 'landing', Key: 'a.csv', Body: 'x' }));
      expect(VersionId).toBeUndefined();
      expect(ETag).toBeDefined();
    } finally {
      await plain.close();
      await rm(plainDirectory, { recursive: true, force: true });
    }
  });
});
