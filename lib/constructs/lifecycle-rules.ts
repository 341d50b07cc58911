import { Duration } from 'aws-cdk-lib';
import type { LifecycleRule } from 'aws-cdk-lib/aws-s3';
import { RETENTION_CLASSES, RETENTION_TAG_KEY } from '../config/retention.ts';

/** Days an overwritten or deleted object version is kept, in every bucket. */
export const NONCURRENT_VERSION_DAYS = 30;

/** Days before an unfinished multipart upload's parts are discarded. */
export const INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * Every bucket's housekeeping: old versions, orphaned delete markers and unfinished uploads go.
 * It never expires a current object, so it is safe under Iceberg table locations.
 */
export function housekeepingRule(): LifecycleRule {
  return {
    id: 'noncurrent-versions',
    noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
    expiredObjectDeleteMarker: true,
    abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
  };
}

/** One rule per finite retention class: an object tagged with the class expires after its days. */
export function retentionClassRules(): LifecycleRule[] {
  return RETENTION_CLASSES.flatMap((retention) =>
    retention.days === undefined
      ? []
      : [
          {
            id: `retention-${retention.tag}`,
            tagFilters: { [RETENTION_TAG_KEY]: retention.tag },
            expiration: Duration.days(retention.days),
          },
        ],
  );
}

/**
 * Every current object expires `days` after it was written, whatever its tags: for buckets whose
 * writers tag nothing (Athena's query results, the S3 logging service's access logs), where a
 * tag-keyed rule would never match and everything would be kept forever.
 */
export function expiryRule(days: number): LifecycleRule {
  return { id: 'expire-every-object', expiration: Duration.days(days) };
}
