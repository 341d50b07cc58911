/**
 * What the pipeline hands the validator for one landed object: the fields of the S3 "Object
 * Created" event it needs, so a Step Functions retry or a replay re-sends the same input.
 */
export interface LandedFileEvent {
  readonly bucket: string;
  readonly key: string;
  /** The landed version; without it the object's current version (or ETag) identifies the file. */
  readonly versionId?: string;
  /** ISO-8601 time of the landing event; without it the object's `LastModified`. */
  readonly eventTime?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an untyped invocation payload, naming every field that is wrong. */
export function parseLandedFileEvent(input: unknown): LandedFileEvent {
  if (!isRecord(input)) throw new Error(`the validator expects { bucket, key, versionId?, eventTime? }, got ${JSON.stringify(input)}`);
  const problems: string[] = [];
  const text = (field: string, required: boolean): string | undefined => {
    const value = input[field];
    if (value === undefined && !required) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    problems.push(`'${field}' must be a non-empty string, got ${JSON.stringify(value) ?? 'nothing'}`);
    return undefined;
  };
  const bucket = text('bucket', true);
  const key = text('key', true);
  const versionId = text('versionId', false);
  const eventTime = text('eventTime', false);
  if (eventTime !== undefined && Number.isNaN(Date.parse(eventTime))) {
    problems.push(`'eventTime' must be an ISO-8601 time such as 2026-11-21T06:00:00Z, got '${eventTime}'`);
  }
  if (problems.length > 0 || bucket === undefined || key === undefined) {
    throw new Error(`invalid validator input: ${problems.join('; ')}`);
  }
  return { bucket, key, ...(versionId !== undefined && { versionId }), ...(eventTime !== undefined && { eventTime }) };
}
