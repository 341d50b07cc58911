import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { AthenaDdlProvider, IcebergTable } from '../../lib/constructs/iceberg-table.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };

/** A stack with the provider, plus whatever `add` puts in it before it synthesizes. */
function providerStack(add: (stack: Stack, provider: AthenaDdlProvider) => void = () => {}) {
  const app = new App();
  const stack = new Stack(new Stage(app, 'Test'), 'Domain', { env: { account: identity.account, region: identity.region } });
  const provider = new AthenaDdlProvider(stack, 'TableOwner', {
    identity,
    domain: 'sales',
    databaseName: 'acme_dev_sales',
    workGroupName: 'acme-dev-sales',
    key: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/k'),
    athenaResultsBucketName: 'results-bucket',
    tablesBucketName: 'silver-bucket',
    tablesPrefix: 'sales/',
  });
  add(stack, provider);
  return { template: Template.fromStack(stack) };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

function statementsOf(template: Template, policyIdPrefix: string): Statement[] {
  const [policy] = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith(policyIdPrefix));
  return (policy![1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement;
}

describe('AthenaDdlProvider', () => {
  const { template } = providerStack();

  it('runs a traced Node.js 24 handler with an explicit log group, kept a year and retained by default', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'acme-dev-sales-athena-ddl',
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^TableOwnerLogs') } },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/acme-dev-sales-athena-ddl', RetentionInDays: 365 },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  it('gives handler and framework roles of their own, without managed policies', () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as { Properties: Record<string, unknown> }[];
    expect(roles).toHaveLength(2);
    for (const role of roles) expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
  });

  it('lets the handler run DDL only in the domain workgroup, on the domain database and under the domain prefixes', () => {
    const statements = statementsOf(template, 'TableOwnerRoleDefaultPolicy');
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);
    expect(bySid('RunDdlInTheDomainWorkgroup')).toMatchObject({
      Action: ['athena:StartQueryExecution', 'athena:GetQueryExecution'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:eu-west-1:111111111111:workgroup/acme-dev-sales']] },
    });
    expect(bySid('OwnTheDomainTables')).toMatchObject({
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:111111111111:catalog']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:111111111111:database/acme_dev_sales']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:eu-west-1:111111111111:table/acme_dev_sales/*']] },
      ],
    });
    expect(bySid('WriteResultsAndTableMetadata')).toMatchObject({
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::results-bucket/sales/*']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::silver-bucket/sales/*']] },
      ],
    });
    expect(statements.flatMap((statement) => [statement.Action].flat())).not.toContain('glue:DeleteTable');
  });

  it('publishes the service token of the framework in SSM for the dataset stacks', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/acme/dev/sales/athena-ddl-service-token',
      Type: 'String',
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TableOwnerProviderframeworkonEvent'), 'Arn'] },
    });
  });
});

describe('IcebergTable', () => {
  const spec = {
    database: 'acme_dev_sales',
    table: 'orders',
    workGroup: 'acme-dev-sales',
    createStatement: 'CREATE TABLE IF NOT EXISTS ...',
    columns: [{ name: 'id', type: 'string' }],
  };

  it('is a custom resource carrying the table spec, retained on delete and on replacement', () => {
    let table: IcebergTable | undefined;
    const { template } = providerStack((stack, provider) => {
      table = new IcebergTable(stack, 'OrdersSilver', { serviceToken: provider.provider.serviceToken, spec });
    });
    expect(table?.qualifiedName).toBe('acme_dev_sales.orders');
    template.hasResource('Custom::IcebergTable', {
      Properties: { ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TableOwnerProviderframeworkonEvent'), 'Arn'] }, ...spec },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
