/**
 * An in-memory stand-in for the S3 client that records every command it is sent: for the
 * request details s3rver cannot show (object versions, conditional requests, command order).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';

export interface StoredObject {
  readonly body: Buffer;
  readonly versionId?: string;
  readonly lastModified?: Date;
  readonly tagging?: string;
}

export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, any>;
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
  throw new Error(`unexpected body ${typeof body}`);
}

export class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  readonly sent: SentCommand[] = [];

  put(bucket: string, key: string, object: StoredObject): void {
    this.objects.set(`${bucket}/${key}`, object);
  }

  /** Quoted, as S3 returns it. */
  etagOf(bucket: string, key: string): string {
    return `"${createHash('md5').update(this.stored(bucket, key).body).digest('hex')}"`;
  }

  get client(): S3Client {
    return this as unknown as S3Client;
  }

  private stored(bucket: string, key: string): StoredObject {
    const object = this.objects.get(`${bucket}/${key}`);
    if (object === undefined) throw Object.assign(new Error(`NoSuchKey: ${bucket}/${key}`), { name: 'NoSuchKey' });
    return object;
  }

  async send(command: { constructor: { name: string }; input: Record<string, any> }): Promise<Record<string, unknown>> {
    const { input } = command;
    const name = command.constructor.name;
    this.sent.push({ name, input });
    switch (name) {
      case 'HeadObjectCommand': {
        const object = this.stored(input['Bucket'], input['Key']);
        return { ETag: this.etagOf(input['Bucket'], input['Key']), VersionId: object.versionId, LastModified: object.lastModified };
      }
      case 'GetObjectCommand':
        return { Body: Readable.from([this.stored(input['Bucket'], input['Key']).body]) };
      case 'PutObjectCommand':
        this.put(input['Bucket'], input['Key'], { body: await bytesOf(input['Body']), tagging: input['Tagging'] });
        return {};
      case 'CopyObjectCommand': {
        const [bucket, ...path] = String(input['CopySource']).split('?')[0]!.split('/');
        const source = this.stored(bucket!, path.map(decodeURIComponent).join('/'));
        this.put(input['Bucket'], input['Key'], { body: source.body, tagging: input['Tagging'] });
        return {};
      }
      case 'GetObjectTaggingCommand': {
        const { tagging = '' } = this.stored(input['Bucket'], input['Key']);
        return { TagSet: [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value })) };
      }
      case 'PutObjectTaggingCommand': {
        const object = this.stored(input['Bucket'], input['Key']);
        const tagSet = input['Tagging'].TagSet as { Key: string; Value: string }[];
        this.put(input['Bucket'], input['Key'], { ...object, tagging: new URLSearchParams(tagSet.map((tag): [string, string] => [tag.Key, tag.Value])).toString() });
        return {};
      }
      default:
        throw new Error(`FakeS3 does not implement ${name}`);
    }
  }
}
