import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What a grantee does with the objects under a prefix. Each flag adds its S3 actions, always in
 * the same order, so a grant reads the same wherever it is made.
 */
export interface ObjectAccess {
  /** `s3:GetObject`. @default false */
  readonly read?: boolean;
  /** A given version of an object and the tags of either (the validator reads the version its event names). @default false */
  readonly readVersionsAndTags?: boolean;
  /** `s3:PutObject`. @default false */
  readonly write?: boolean;
  /** Tags the current object, or any version of it. @default - no tagging */
  readonly tag?: 'objects' | 'versions';
  /** `s3:DeleteObject`. @default false */
  readonly delete?: boolean;
  /** Athena's multipart uploads: abort them, and list their parts where Athena resumes them. @default - none */
  readonly multipartUploads?: 'abort' | 'abortAndListParts';
}

function objectActions(access: ObjectAccess): string[] {
  return [
    ...(access.read === true ? ['s3:GetObject'] : []),
    ...(access.readVersionsAndTags === true ? ['s3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'] : []),
    ...(access.write === true ? ['s3:PutObject'] : []),
    ...(access.tag === undefined ? [] : ['s3:PutObjectTagging']),
    ...(access.tag === 'versions' ? ['s3:PutObjectVersionTagging'] : []),
    ...(access.delete === true ? ['s3:DeleteObject'] : []),
    ...(access.multipartUploads === undefined ? [] : ['s3:AbortMultipartUpload']),
    ...(access.multipartUploads === 'abortAndListParts' ? ['s3:ListMultipartUploadParts'] : []),
  ];
}

/** The ARN of a zone bucket known by its derived name. */
export function bucketArnOf(bucketName: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucketName}`;
}

/**
 * A key prefix in one of the platform's zone buckets, and the grants on it, in the manner of
 * aws-cdk-lib's `bucket.grant*` methods. By bucket name rather than `IBucket`: dataset and domain
 * stacks know the platform's buckets by their derived names, so no grant makes a cross-stack
 * reference. Grants are policy statements, because most roles hold one inline policy written out
 * in full.
 */
export class ZonePrefix {
  /** One statement granting `access` to the objects under every one of `prefixes`. */
  static grantObjects(sid: string, prefixes: readonly ZonePrefix[], access: ObjectAccess, conditions?: Record<string, unknown>): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid,
      actions: objectActions(access),
      resources: prefixes.map((prefix) => prefix.objectsArn),
      ...(conditions === undefined ? {} : { conditions }),
    });
  }

  /**
   * One `s3:ListBucket` statement over the buckets of `prefixes`, limited to their prefixes: a
   * listing reveals every key it reaches.
   */
  static listObjects(sid: string, prefixes: readonly ZonePrefix[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid,
      actions: ['s3:ListBucket'],
      resources: [...new Set(prefixes.map((prefix) => prefix.bucketArn))],
      conditions: { StringLike: { 's3:prefix': [...new Set(prefixes.map((prefix) => prefix.listPattern))] } },
    });
  }

  /** `s3:GetBucketLocation`, which Athena asks before it reads or writes a bucket. */
  static locateBuckets(sid: string, bucketNames: readonly string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid, actions: ['s3:GetBucketLocation'], resources: [...new Set(bucketNames)].map(bucketArnOf) });
  }

  constructor(
    readonly bucketName: string,
    readonly prefix: string,
  ) {
    // `sales*` would also reach `sales-eu/`: a prefix granted is always a whole folder.
    if (!prefix.endsWith('/')) throw new Error(`s3://${bucketName}/${prefix}: a granted prefix must end with '/', or it reaches every sibling whose name starts the same`);
  }

  get bucketArn(): string {
    return bucketArnOf(this.bucketName);
  }

  /** Every object under the prefix; also the resource a cdk-nag wildcard finding names. */
  get objectsArn(): string {
    return `${this.bucketArn}/${this.prefix}*`;
  }

  /** The `s3:prefix` condition value matching every key under the prefix. */
  get listPattern(): string {
    return `${this.prefix}*`;
  }

  grantObjects(sid: string, access: ObjectAccess, conditions?: Record<string, unknown>): iam.PolicyStatement {
    return ZonePrefix.grantObjects(sid, [this], access, conditions);
  }

  listObjects(sid: string): iam.PolicyStatement {
    return ZonePrefix.listObjects(sid, [this]);
  }
}
