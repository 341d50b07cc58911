/**
 * The `aws-sdk:s3:putObject` integration offline: the object goes to the local S3 server. As Step
 * Functions does, a `Body` that is JSON rather than text is stored as its JSON text; the answer is
 * PutObject's `{ETag, VersionId}`.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

export function putObjectTask(s3: S3Client): (request: JsonValue) => Promise<JsonObject> {
  return async (request) => {
    const reader = new RequestReader('S3.S3Exception', 'PutObject');
    const bucket = reader.string(request, 'Bucket');
    const key = reader.string(request, 'Key');
    const body = (request as { Body?: JsonValue }).Body;
    if (body === undefined) throw reader.invalid('Body is missing');
    try {
      const response = await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: typeof body === 'string' ? body : JSON.stringify(body),
          ContentType: reader.optionalString(request, 'ContentType'),
        }),
      );
      return { ETag: response.ETag ?? '', ...(response.VersionId === undefined ? {} : { VersionId: response.VersionId }) };
    } catch (error) {
      // A missing bucket or a refused write is the service's error, as the SDK integration names it.
      const name = error instanceof Error ? error.name : 'S3Exception';
      throw new TaskError(`S3.${name}`, error instanceof Error ? error.message : String(error));
    }
  };
}
