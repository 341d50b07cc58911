import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../lib/constructs/alert-topic.ts';
import { DatasetTables } from '../../lib/constructs/dataset-tables.ts';
import { FreshnessCheck } from '../../lib/constructs/freshness-check.ts';
import { DEFAULT_ALARM_SETTINGS } from '../../lib/config/settings.ts';
import { ZoneBucket } from '../../lib/constructs/zone-bucket.ts';
import { dataset } from './fixtures.ts';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
}

describe('documented construct defaults', () => {
  it('ZoneBucket: SSE-S3, no access logging, no retention expiry, no EventBridge, retained', () => {
    const scope = stack();
    new ZoneBucket(scope, 'Zone', { bucketName: 'acme-dev-test-111111111111-eu-west-1' });
    const [bucket] = Object.values(Template.fromStack(scope).findResources('AWS::S3::Bucket'));
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.Properties.LoggingConfiguration).toBeUndefined();
    expect(bucket.Properties.NotificationConfiguration).toBeUndefined();
    expect(bucket.Properties.LifecycleConfiguration.Rules.map((rule: { Id: string }) => rule.Id)).toEqual(['noncurrent-versions']);
  });

  it('ZoneBucket: refuses an expiry by age that is no whole number of days, or that would cut retention classes short', () => {
    const name = 'acme-dev-test-111111111111-eu-west-1';
    expect(() => new ZoneBucket(stack(), 'Zone', { bucketName: name, expiresAfterDays: 0 })).toThrow(
      `Bucket '${name}': expiresAfterDays must be a whole number of days, at least 1, got 0`,
    );
    expect(() => new ZoneBucket(stack(), 'Zone', { bucketName: name, expiresAfterDays: 30, expiresByRetentionTag: true })).toThrow(
      /choose expiresByRetentionTag or expiresAfterDays, not both: S3 applies the shorter expiry/,
    );
  });

  it('DatasetTables: both tables retained', () => {
    const scope = stack();
    new DatasetTables(scope, 'Orders', {
      dataset: dataset('sales', 'orders'),
      databaseName: 'acme_dev_sales',
      landingBucketName: 'landing',
      validatedBucketName: 'validated',
    });
    const tables = Object.values(Template.fromStack(scope).findResources('AWS::Glue::Table'));
    expect(tables.map((table) => table.DeletionPolicy)).toEqual(['RetainExceptOnCreate', 'RetainExceptOnCreate']);
  });

  it('AlertTopic: no subscriptions', () => {
    const scope = stack();
    new AlertTopic(scope, 'Alerts', { topicName: 'alerts', encryptionKey: new kms.Key(scope, 'Key') });
    Template.fromStack(scope).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('FreshnessCheck: its log kept a year and retained; a domain without an SLA dataset has nothing to check', () => {
    const scope = stack();
    const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
    const orders = dataset('sales', 'orders', { frequency: 3600 });
    new FreshnessCheck(scope, 'Freshness', { identity, domain: 'sales', datasets: [orders], settings: DEFAULT_ALARM_SETTINGS });
    const [logGroup] = Object.values(Template.fromStack(scope).findResources('AWS::Logs::LogGroup'));
    expect([logGroup.Properties.RetentionInDays, logGroup.DeletionPolicy]).toEqual([365, 'RetainExceptOnCreate']);
    expect(() => new FreshnessCheck(stack(), 'Freshness', { identity, domain: 'sales', datasets: [dataset('sales', 'customers')], settings: DEFAULT_ALARM_SETTINGS })).toThrow(
      "freshness check of domain 'sales': no dataset of it declares a frequency or freshness SLA",
    );
  });
});
