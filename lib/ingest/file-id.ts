import { createHash } from 'node:crypto';

/** Identifies one delivered object version; S3 objects without versioning fall back to their ETag. */
export interface LandedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
}

/**
 * The `file_id` every loaded row carries (DESIGN.md "Loads are idempotent by data"): the same
 * delivery always gets the same id, so a replay replaces its own rows instead of adding more, and
 * a re-delivery of the same key (a new version) gets a new one.
 */
export function fileIdOf(object: LandedObject): string {
  const revision = object.versionId ?? object.etag?.replaceAll('"', '');
  if (!revision) throw new Error(`s3://${object.bucket}/${object.key}: neither a version id nor an ETag to identify the file`);
  return createHash('sha256').update(`${object.bucket}\n${object.key}\n${revision}`).digest('hex').slice(0, 24);
}
