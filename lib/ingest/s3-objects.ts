/**
 * The few S3 calls the validator makes, on a client its caller builds (the Lambda's default
 * client, or the offline runtime's client pointed at a local S3 server).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LandedObject } from './file-id.ts';

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

/** Uploads a local file as a stream (its length known up front, so nothing is buffered). */
export async function uploadFile(s3: S3Client, target: ObjectLocation, file: string, options: WriteOptions): Promise<void> {
  const { size } = await stat(file);
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
