import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { bucketName, ZONES, type Zone } from '../../lib/config/names.ts';
import { buildApp, resourcesOf } from './build.ts';
import { catalog, domain, environment, marketingDomain, salesDomain, settings, dataset } from './fixtures.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const platformOf = (template = buildApp()): Template => Template.fromStack(template.stage('dev').platform);
const template = platformOf();
const buckets = resourcesOf(template, 'AWS::S3::Bucket');

function bucket(zone: Zone): { logicalId: string; properties: Record<string, any> } {
  const entry = Object.entries(buckets).find(([, resource]) => resource.Properties['BucketName'] === bucketName(identity, zone));
  if (entry === undefined) throw new Error(`no ${zone} bucket`);
  return { logicalId: entry[0], properties: entry[1].Properties };
}

/** Zones whose writers tag every object with its contract's retention class. */
const TAGGED_ZONES: readonly Zone[] = ['landing', 'validated', 'quarantine', 'audit'];

/** Rules that expire current objects, as `Id: ExpirationInDays`. */
function expiries(zone: Zone, from = bucket): Record<string, number> {
  const rules = from(zone).properties['LifecycleConfiguration'].Rules as { Id: string; ExpirationInDays?: number }[];
  return Object.fromEntries(rules.filter((rule) => rule.ExpirationInDays !== undefined).map((rule) => [rule.Id, rule.ExpirationInDays!]));
}

describe('platform stack', () => {
  it('has one bucket per zone, named from organization, environment, account and region', () => {
    expect(Object.keys(buckets)).toHaveLength(ZONES.length);
    for (const zone of ZONES) expect(bucket(zone).properties['BucketName']).toBe(bucketName(identity, zone));
  });

  it('encrypts every zone with the platform KMS key, but access logs with SSE-S3', () => {
    const [keyId] = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));
    for (const zone of ZONES.filter((zone) => zone !== 'access-logs')) {
      expect(bucket(zone).properties['BucketEncryption']).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          },
        ],
      });
    }
    expect(bucket('access-logs').properties['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('rotates the key and names it by alias', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-dev-lakehouse' });
  });

  it('versions every bucket, blocks public access and enforces bucket-owner ownership', () => {
    for (const zone of ZONES) {
      const { properties } = bucket(zone);
      expect(properties['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
      expect(properties['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(properties['OwnershipControls']).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
  });

  it('denies every request without SSL to every bucket', () => {
    for (const zone of ZONES) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket(zone).logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('logs every bucket but the log bucket to the access-logs bucket, one prefix per zone', () => {
    const logBucket = bucket('access-logs');
    for (const zone of ZONES.filter((zone) => zone !== 'access-logs')) {
      expect(bucket(zone).properties['LoggingConfiguration']).toEqual({
        DestinationBucketName: { Ref: logBucket.logicalId },
        LogFilePrefix: `${zone}/`,
      });
    }
    expect(logBucket.properties['LoggingConfiguration']).toBeUndefined();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucket.logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucket('landing').logicalId, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': '111111111111' },
            },
          }),
        ]),
      },
    });
  });

  it('expires objects by retention tag in the non-Iceberg zones only', () => {
    const tagRules = [
      ['30d', 30],
      ['90d', 90],
      ['1y', 365],
      ['3y', 1095],
      ['7y', 2555],
    ].map(([tag, days]) => ({
      Id: `retention-${tag}`,
      Status: 'Enabled',
      ExpirationInDays: days,
      TagFilters: [{ Key: 'lakehouse:retention', Value: tag }],
    }));
    for (const zone of TAGGED_ZONES) {
      expect(bucket(zone).properties['LifecycleConfiguration'].Rules).toEqual(expect.arrayContaining(tagRules));
      expect(Object.keys(expiries(zone))).toEqual(tagRules.map((rule) => rule.Id));
    }
    for (const zone of ['silver', 'gold'] as const) {
      for (const rule of bucket(zone).properties['LifecycleConfiguration'].Rules) {
        expect(rule).not.toHaveProperty('ExpirationInDays');
        expect(rule).not.toHaveProperty('ExpirationDate');
        expect(rule).not.toHaveProperty('TagFilters');
      }
    }
  });

  it('expires every Athena result and access log by age, from the environment, whatever its tags', () => {
    expect(expiries('athena-results')).toEqual({ 'expire-every-object': 30 });
    expect(expiries('access-logs')).toEqual({ 'expire-every-object': 365 });
    expect(bucket('athena-results').properties['LifecycleConfiguration'].Rules).toContainEqual({
      Id: 'expire-every-object',
      Status: 'Enabled',
      ExpirationInDays: 30,
    });
    const kept = platformOf(buildApp(catalog(), settings({ environments: [environment('dev', { athenaResultsRetentionDays: 7, accessLogRetentionDays: 90 })] })));
    const keptBuckets = resourcesOf(kept, 'AWS::S3::Bucket');
    const keptBucket = (zone: Zone) => ({
      logicalId: zone,
      properties: Object.values(keptBuckets).find((resource) => resource.Properties['BucketName'] === bucketName(identity, zone))!.Properties as Record<string, any>,
    });
    expect(expiries('athena-results', keptBucket)).toEqual({ 'expire-every-object': 7 });
    expect(expiries('access-logs', keptBucket)).toEqual({ 'expire-every-object': 90 });
  });

  it('expires noncurrent versions after 30 days in every bucket', () => {
    for (const zone of ZONES) {
      expect(bucket(zone).properties['LifecycleConfiguration'].Rules).toContainEqual({
        Id: 'noncurrent-versions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      });
    }
  });

  it('sends landing events to EventBridge through the bucket itself, with no helper Lambda', () => {
    expect(bucket('landing').properties['NotificationConfiguration']).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    for (const zone of ZONES.filter((zone) => zone !== 'landing')) {
      expect(bucket(zone).properties['NotificationConfiguration']).toBeUndefined();
    }
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('has a KMS-encrypted, SSL-only alarm topic that CloudWatch alarms of the account may publish to', () => {
    const [keyId] = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'acme-dev-platform-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
          }),
        ]),
      },
    });
  });

  it('exports a fixed set of outputs for domain stacks', () => {
    expect(Object.values(template.findOutputs('*')).map((output) => output['Export'].Name).sort()).toEqual(
      [
        'KeyArn',
        'AlarmTopicArn',
        'LandingBucketName',
        'ValidatedBucketName',
        'QuarantineBucketName',
        'SilverBucketName',
        'GoldBucketName',
        'AuditBucketName',
        'AthenaResultsBucketName',
        'AccessLogsBucketName',
      ]
        .map((output) => `acme-dev-platform-${output}`)
        .sort(),
    );
  });

  it('is the same template whatever domains and datasets exist', () => {
    const bare = platformOf(buildApp(catalog())).toJSON();
    const withDomains = platformOf(buildApp(catalog(salesDomain, marketingDomain))).toJSON();
    const withMore = platformOf(
      buildApp(catalog(salesDomain, marketingDomain, domain('finance', [dataset('finance', 'ledger')]))),
    ).toJSON();
    expect(withDomains).toEqual(bare);
    expect(withMore).toEqual(bare);
    expect(Object.keys(bare['Resources'] as object).length).toBeGreaterThan(0);
  });
});

describe('removal policy', () => {
  const statefulTypes = ['AWS::S3::Bucket', 'AWS::KMS::Key'];

  it('retains buckets and key by default, without warnings', () => {
    for (const type of statefulTypes) {
      for (const resource of Object.values(resourcesOf(template, type))) expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
    }
    expect(Annotations.fromStack(buildApp().stage('dev').platform).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('destroys them when the environment says so, with a warning and never by auto-deleting objects', () => {
    const destroying = buildApp(catalog(), settings({ environments: [environment('dev', { removalPolicy: 'destroy' })] }));
    const platform = destroying.stage('dev').platform;
    const destroyTemplate = Template.fromStack(platform);
    for (const type of statefulTypes) {
      for (const resource of Object.values(resourcesOf(destroyTemplate, type))) expect(resource.DeletionPolicy).toBe('Delete');
    }
    destroyTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    const warnings = Annotations.fromStack(platform).findWarning('*', Match.stringLikeRegexp("removalPolicy 'destroy'"));
    expect(warnings).toHaveLength(1);
    expect(Annotations.fromStack(platform).findError('*', Match.anyValue())).toEqual([]);
  });
});
