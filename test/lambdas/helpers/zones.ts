/** Reading what the validator left in the local S3 server's zone buckets. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ZoneBuckets } from '../../../lib/ingest/process-landed-file.ts';
import { jsonValue } from '../../../lib/validation/json-value.ts';
import type { JsonValue } from '../../../lib/validation/report.ts';

export const BUCKETS: ZoneBuckets = { landing: 'landing', validated: 'validated', quarantine: 'quarantine', audit: 'audit' };

/** Every delivery in the samples' READMEs landed at this time. */
export const SAMPLE_EVENT_TIME = '2026-11-21T06:00:00Z';

export async function putObject(s3: S3Client, bucket: string, key: string, body: Buffer | string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function objectBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

export async function objectTags(s3: S3Client, bucket: string, key: string): Promise<Record<string, string>> {
  const { TagSet = [] } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
  return Object.fromEntries(TagSet.map((tag) => [tag.Key!, tag.Value!]));
}

/** `bucket/key` of every object in the output zones. */
export async function outputObjects(s3: S3Client): Promise<string[]> {
  const keys: string[] = [];
  for (const bucket of [BUCKETS.validated, BUCKETS.quarantine, BUCKETS.audit]) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => `${bucket}/${object.Key!}`));
      token = page.NextContinuationToken;
    } while (token !== undefined);
  }
  return keys.sort();
}

/** The rows of a Parquet object, ordered by `_row`, read by DuckDB. */
export async function parquetRows(s3: S3Client, bucket: string, key: string): Promise<Record<string, JsonValue>[]> {
  const directory = await mkdtemp(join(tmpdir(), 'parquet-object-'));
  const file = join(directory, 'object.parquet');
  await writeFile(file, await objectBytes(s3, bucket, key));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}') ORDER BY _row`);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, jsonValue(value)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(directory, { recursive: true, force: true });
  }
}

/** EMF documents (CloudWatch embedded metric format) among JSON lines written to stdout. */
export interface EmfDocument {
  readonly _aws: { readonly CloudWatchMetrics: readonly { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [field: string]: unknown;
}

export function emfDocuments(stdout: string): EmfDocument[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((document): document is EmfDocument => '_aws' in document);
}
