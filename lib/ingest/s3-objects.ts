/**
 * The few S3 calls the validator makes, on a client its caller builds (the Lambda's default
 * client, or the offline runtime's client pointed at a local S3 server).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LandedObject } from './delivery-file-id.ts';

export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

export interface ObjectRevision {
  readonly versionId?: string;
  readonly etag?: string;
  readonly lastModified?: Date;
}

export interface WriteOptions {
  readonly contentType: string;
  /** URL query form, e.g. `lakehouse%3Aretention=7y`. */
  readonly tagging: string;
}

export async function headObject(s3: S3Client, object: ObjectLocation & { readonly versionId?: string }): Promise<ObjectRevision> {
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: object.bucket, Key: object.key, ...(object.versionId !== undefined && { VersionId: object.versionId }) }),
  );
  return {
    ...(head.VersionId !== undefined && { versionId: head.VersionId }),
    ...(head.ETag !== undefined && { etag: head.ETag }),
    ...(head.LastModified !== undefined && { lastModified: head.LastModified }),
  };
}

/**
 * Streams one object revision to a local file without holding it in memory. The request is
 * pinned to the version, or on an unversioned bucket to the ETag, so the bytes validated are
 * the bytes the file id names even if the key is overwritten meanwhile.
 */
export async function downloadObject(s3: S3Client, object: LandedObject, file: string): Promise<void> {
  const response = await s3.send(
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      ...(object.versionId !== undefined ? { VersionId: object.versionId } : object.etag !== undefined && { IfMatch: object.etag }),
    }),
  );
  if (!(response.Body instanceof Readable)) {
    throw new Error(`s3://${object.bucket}/${object.key}: the S3 client returned no readable stream`);
  }
  await pipeline(response.Body, createWriteStream(file));
}

/** Attempts of one streamed upload, the SDK's own default for every other call. */
const UPLOAD_ATTEMPTS = 3;
const UPLOAD_RETRY_BASE_MS = 100;

/** S3 throttling and server errors: the same request may succeed when sent again. */
function transient(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'SlowDown' || name === 'RequestTimeout' || ($metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Uploads a local file as a stream (its length known up front, so nothing is buffered). The SDK
 * retries throttling and server errors itself, except for a request whose body is a stream, which
 * it cannot rewind: such an upload is sent again here from a new stream, or one 503 Slow Down
 * would fail a whole validation.
 */
export async function uploadFile(s3: S3Client, target: ObjectLocation, file: string, options: WriteOptions): Promise<void> {
  const { size } = await stat(file);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          Body: createReadStream(file),
          ContentLength: size,
          ContentType: options.contentType,
          Tagging: options.tagging,
        }),
      );
      return;
    } catch (error) {
      if (attempt >= UPLOAD_ATTEMPTS || !transient(error)) throw error;
      await sleep(UPLOAD_RETRY_BASE_MS * 2 ** (attempt - 1) * (1 + Math.random()));
    }
  }
}

export async function putText(s3: S3Client, target: ObjectLocation, body: string, options: WriteOptions): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: body, ContentType: options.contentType, Tagging: options.tagging }),
  );
}

/** `CopySource` wants the key URL-encoded but its slashes kept. */
function copySource(object: LandedObject): string {
  const key = object.key.split('/').map(encodeURIComponent).join('/');
  const version = object.versionId === undefined ? '' : `?versionId=${encodeURIComponent(object.versionId)}`;
  return `${object.bucket}/${key}${version}`;
}

/**
 * Server-side copy of exactly the landed revision, its tags replaced by `tagging` (a copy would
 * otherwise inherit the source's tags, and landed files carry none).
 */
export async function copyObject(s3: S3Client, source: LandedObject, target: ObjectLocation, tagging: string): Promise<void> {
  await s3.send(
    new CopyObjectCommand({
      Bucket: target.bucket,
      Key: target.key,
      CopySource: copySource(source),
      ...(source.versionId === undefined && source.etag !== undefined && { CopySourceIfMatch: source.etag }),
      TaggingDirective: 'REPLACE',
      Tagging: tagging,
    }),
  );
}

/** Bucket, key and, when the object has one, the version a tagging request names. */
function taggedRevision(object: LandedObject): { Bucket: string; Key: string; VersionId?: string } {
  return { Bucket: object.bucket, Key: object.key, ...(object.versionId !== undefined && { VersionId: object.versionId }) };
}

/** The tag set of one object revision. */
export async function objectTags(s3: S3Client, object: LandedObject): Promise<Record<string, string>> {
  const { TagSet = [] } = await s3.send(new GetObjectTaggingCommand(taggedRevision(object)));
  return Object.fromEntries(TagSet.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

/** Sets the whole tag set of one object revision (S3 keeps no tag that is not in it). */
export async function replaceObjectTags(s3: S3Client, object: LandedObject, tags: Readonly<Record<string, string>>): Promise<void> {
  await s3.send(
    new PutObjectTaggingCommand({ ...taggedRevision(object), Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }),
  );
}
