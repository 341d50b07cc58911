import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, resourcesOf } from './build.ts';
import { catalog, domain, environment, salesDomain, settings } from './fixtures.ts';

const salesWithTwoAddresses = domain('sales', salesDomain.datasets, {
  alertEmails: ['sales-oncall@example.com', 'sales-data@example.com'],
  owner: { team: 'sales-data-engineering', email: 'sales-data@example.com' },
});
const built = buildApp(
  catalog(salesWithTwoAddresses),
  settings({ environments: [environment('prod', { account: '333333333333', athenaBytesScannedCutoffPerQuery: 1_099_511_627_776 })] }),
);
const template = Template.fromStack(built.stage('prod').domains.get('sales')!.domain);
const importOf = (output: string) => ({ 'Fn::ImportValue': `acme-prod-platform-${output}` });

describe('domain stack', () => {
  it('creates the Glue database <org>_<env>_<domain>, retained', () => {
    const [database] = Object.values(resourcesOf(template, 'AWS::Glue::Database'));
    expect(database?.Properties).toMatchObject({ CatalogId: '333333333333', DatabaseInput: { Name: 'acme_prod_sales' } });
    expect(database?.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('creates an enforced, KMS-encrypted Athena workgroup with the environment cutoff and metrics', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'acme-prod-sales',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 1_099_511_627_776,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', importOf('AthenaResultsBucketName'), '/sales/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: importOf('KeyArn') },
        },
      },
    });
  });

  it("gives the pipeline workgroup the environment's pipeline cutoff when cdk.json sets one", () => {
    const bounded = buildApp(catalog(salesDomain), settings({ environments: [environment('dev', { pipelineBytesScannedCutoffPerQuery: 5_497_558_138_880 })] }));
    const workgroups = Object.values(resourcesOf(Template.fromStack(bounded.stage('dev').domains.get('sales')!.domain), 'AWS::Athena::WorkGroup'));
    const cutoffs = Object.fromEntries(
      workgroups.map((workgroup) => [workgroup.Properties['Name'], (workgroup.Properties['WorkGroupConfiguration'] as Record<string, unknown>)['BytesScannedCutoffPerQuery']]),
    );
    expect(cutoffs).toEqual({ 'acme-dev-sales': 10_737_418_240, 'acme-dev-sales-pipeline': 5_497_558_138_880 });
  });

  it('creates a KMS-encrypted, SSL-only alert topic subscribed by every alert address', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'acme-prod-sales-alerts',
      KmsMasterKeyId: importOf('KeyArn'),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const subscriptions = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).map((resource) => resource.Properties);
    expect(subscriptions.map((subscription) => [subscription['Protocol'], subscription['Endpoint']])).toEqual([
      ['email', 'sales-oncall@example.com'],
      ['email', 'sales-data@example.com'],
    ]);
  });

  it('tags its resources with domain and owner team', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Tags: Match.arrayWith([
        { Key: 'lakehouse:domain', Value: 'sales' },
        { Key: 'lakehouse:environment', Value: 'prod' },
        { Key: 'lakehouse:owner-team', Value: 'sales-data-engineering' },
      ]),
    });
  });

  it('drops the database when the environment destroys', () => {
    const destroying = buildApp(catalog(salesDomain), settings({ environments: [environment('dev', { removalPolicy: 'destroy' })] }));
    const domainTemplate = Template.fromStack(destroying.stage('dev').domains.get('sales')!.domain);
    expect(Object.values(resourcesOf(domainTemplate, 'AWS::Glue::Database'))[0]?.DeletionPolicy).toBe('Delete');
  });
});
