import { createHash } from 'node:crypto';

/** Identifies one delivered object version; S3 objects without versioning fall back to their ETag. */
export interface LandedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
}

function digest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
}

/**
 * The `file_id` of a delivery, which every loaded row carries (DESIGN.md "Loads are idempotent by
 * data"): a hash of bucket, key and object version (or ETag), 24 hex digits. The same delivery
 * always gets the same id, so a replay replaces its own rows instead of adding more, and a
 * re-delivery of the same key (a new version) gets a new one. Used wherever a file came through
 * the landing zone, in the cloud and offline. Not to be confused with `contentFileId`
 * (lib/validation/content-file-id.ts), the id `lakehouse validate` gives a local file that never
 * landed: a hash of its bytes.
 */
export function deliveryFileId(object: LandedObject): string {
  const revision = object.versionId ?? object.etag?.replaceAll('"', '');
  if (!revision) throw new Error(`s3://${object.bucket}/${object.key}: neither a version id nor an ETag to identify the file`);
  return digest([object.bucket, object.key, revision]);
}

/**
 * The id of a landing key, shared by all its versions (DESIGN.md "Delivery identity and order"):
 * a corrected re-delivery of a keyless dataset replaces the rows of the key's earlier versions.
 * A hash rather than the key itself, because the load splices it into SQL, and a key may hold
 * any character.
 */
export function sourceIdOf(object: LandedObject): string {
  return digest([object.bucket, object.key]);
}
