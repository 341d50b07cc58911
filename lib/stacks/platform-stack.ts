import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  accessLogPrefix,
  bucketName,
  type EnvironmentIdentity,
  kmsKeyAlias,
  pascalCase,
  platformAlarmTopicName,
  type Zone,
  ZONES,
} from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import { AlertTopic } from '../constructs/alert-topic.ts';
import { DuckDbLayer } from '../constructs/duckdb-layer.ts';
import { ZoneBucket } from '../constructs/zone-bucket.ts';
import { exportPlatform } from './platform-exports.ts';
import { environmentRemovalPolicy } from './removal-policy.ts';

export interface PlatformStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly environment: EnvironmentSettings;
}

/**
 * Zones whose objects expire by their retention tag, which the validator writes from the
 * contract; silver and gold hold Iceberg tables and never expire. Athena results and access logs
 * expire by age instead (`cdk.json`): no contract governs them and their writers tag nothing.
 */
const ZONES_WITH_RETENTION: readonly Zone[] = ['landing', 'validated', 'quarantine', 'audit'];

/**
 * One per environment: the key, the zone buckets, the platform alarm topic and the validators'
 * DuckDB layer. It holds nothing per domain, so deploying or adding a domain never changes it.
 */
export class PlatformStack extends Stack {
  readonly key: kms.Key;
  readonly buckets: Readonly<Record<Zone, s3.Bucket>>;
  readonly alarmTopic: AlertTopic;
  /** DuckDB for every validator function, published to dataset stacks through SSM. */
  readonly duckDbLayer: DuckDbLayer;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { identity } = props;
    const removalPolicy = environmentRemovalPolicy(this, props.environment);

    this.key = new kms.Key(this, 'Key', {
      alias: kmsKeyAlias(identity),
      description: `Lakehouse data and alerts of ${identity.organization} ${identity.environment}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // CloudWatch alarms and EventBridge rules publish to the KMS-encrypted topics; SNS then
    // encrypts with the publisher's permission on the key, so the services need it. Only on
    // behalf of this account: a service principal alone would also admit another account's alarm
    // or rule publishing through this key (the confused deputy).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowServicesPublishingToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );

    const accessLogs = new ZoneBucket(this, 'AccessLogs', {
      bucketName: bucketName(identity, 'access-logs'),
      expiresAfterDays: props.environment.accessLogRetentionDays,
      removalPolicy,
    });

    const zoneBucket = (zone: Exclude<Zone, 'access-logs'>): s3.Bucket =>
      new ZoneBucket(this, pascalCase(zone), {
        bucketName: bucketName(identity, zone),
        encryptionKey: this.key,
        accessLogs: { bucket: accessLogs.bucket, prefix: accessLogPrefix(zone) },
        expiresByRetentionTag: ZONES_WITH_RETENTION.includes(zone),
        ...(zone === 'athena-results' && { expiresAfterDays: props.environment.athenaResultsRetentionDays }),
        sendsEventsToEventBridge: zone === 'landing',
        removalPolicy,
      }).bucket;

    this.buckets = {
      landing: zoneBucket('landing'),
      validated: zoneBucket('validated'),
      quarantine: zoneBucket('quarantine'),
      silver: zoneBucket('silver'),
      gold: zoneBucket('gold'),
      audit: zoneBucket('audit'),
      'athena-results': zoneBucket('athena-results'),
      'access-logs': accessLogs.bucket,
    };

    this.alarmTopic = new AlertTopic(this, 'Alarms', {
      topicName: platformAlarmTopicName(identity),
      encryptionKey: this.key,
    });

    this.duckDbLayer = new DuckDbLayer(this, 'DuckDb', { identity });

    exportPlatform(this, identity, {
      keyArn: this.key.keyArn,
      alarmTopicArn: this.alarmTopic.topic.topicArn,
      bucketNames: Object.fromEntries(ZONES.map((zone) => [zone, this.buckets[zone].bucketName])) as Record<Zone, string>,
    });
  }
}
