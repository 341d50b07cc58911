import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { expiryRule, housekeepingRule, retentionClassRules } from './lifecycle-rules.ts';
import { RETAINED } from './retained.ts';

export interface ZoneBucketProps {
  /** Physical name, from `bucketName()` in `lib/config/names.ts`. */
  readonly bucketName: string;
  /**
   * Key for SSE-KMS encryption.
   * @default - SSE-S3, which the access-logs bucket needs: S3 server access logs cannot be
   * delivered to an SSE-KMS bucket.
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Bucket and key prefix receiving this bucket's server access logs.
   * @default - no server access logging (only for the access-logs bucket itself)
   */
  readonly accessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  /**
   * Whether objects expire by their `lakehouse:retention` tag. Leave it off under Iceberg table
   * locations: an S3 expiry there corrupts the table.
   * @default false
   */
  readonly expiresByRetentionTag?: boolean;
  /**
   * Days after which every current object expires, whatever its tags: for a bucket no contract
   * governs and whose writers tag nothing. Not with `expiresByRetentionTag`: S3 applies the
   * shorter of two expiries, so it would cut every longer retention class short.
   * @default - no expiry by age
   */
  readonly expiresAfterDays?: number;
  /**
   * Whether object events go to EventBridge. Set on the underlying `CfnBucket`, because the
   * `Bucket` construct's `eventBridgeEnabled` adds a helper Lambda.
   * @default false
   */
  readonly sendsEventsToEventBridge?: boolean;
  /**
   * What happens to the bucket when its stack is deleted. Objects are never auto-deleted: a
   * non-empty bucket makes the deletion fail rather than lose data.
   * @default RETAINED (kept, except when its first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One lakehouse zone: versioned, encrypted, SSL-only, never public, access-logged, with
 * noncurrent versions expiring after 30 days and, where allowed, tag-keyed retention or an
 * expiry by age.
 */
export class ZoneBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ZoneBucketProps) {
    super(scope, id);
    const { expiresAfterDays } = props;
    if (expiresAfterDays !== undefined && (!Number.isSafeInteger(expiresAfterDays) || expiresAfterDays < 1)) {
      throw new Error(`Bucket '${props.bucketName}': expiresAfterDays must be a whole number of days, at least 1, got ${expiresAfterDays}`);
    }
    if (expiresAfterDays !== undefined && props.expiresByRetentionTag === true) {
      throw new Error(
        `Bucket '${props.bucketName}': choose expiresByRetentionTag or expiresAfterDays, not both: S3 applies the shorter expiry, so ${expiresAfterDays} days would cut every longer retention class short`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...(props.encryptionKey === undefined
        ? { encryption: s3.BucketEncryption.S3_MANAGED }
        : { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }),
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        housekeepingRule(),
        ...(props.expiresByRetentionTag === true ? retentionClassRules() : []),
        ...(expiresAfterDays === undefined ? [] : [expiryRule(expiresAfterDays)]),
      ],
      removalPolicy: props.removalPolicy ?? RETAINED,
    });
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    if (props.accessLogs !== undefined) this.logTo(cfnBucket, props.accessLogs.bucket, props.accessLogs.prefix);
    if (props.sendsEventsToEventBridge === true) {
      cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
  }

  /**
   * Server access logging set on the `CfnBucket` with a bucket-policy grant to the logging
   * service, as the `Bucket` construct does only under a feature flag (else it needs ACLs,
   * which `BUCKET_OWNER_ENFORCED` disables).
   */
  private logTo(cfnBucket: s3.CfnBucket, logBucket: s3.IBucket, prefix: string): void {
    cfnBucket.loggingConfiguration = { destinationBucketName: logBucket.bucketName, logFilePrefix: prefix };
    logBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [logBucket.arnForObjects(`${prefix}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
  }
}
