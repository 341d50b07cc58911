import { describe, expect, it } from 'vitest';
import { awsEnvironment } from '../../../lib/local/stepfunctions/aws-environment.ts';
import { type CfnTemplate, resolveIntrinsics, type TemplateScope } from '../../../lib/local/stepfunctions/intrinsics.ts';

function scope(template: CfnTemplate, exports: Record<string, string> = {}): TemplateScope {
  return {
    stackName: 'Dev-Test',
    template,
    environment: () => awsEnvironment('Dev-Test', { account: '123456789012', region: 'us-gov-west-1' }),
    importValue: (name) => {
      const value = exports[name];
      if (value === undefined) throw new Error(`no export ${name}`);
      return value;
    },
  };
}

const RESOURCES: CfnTemplate['Resources'] = {
  Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Join': ['-', ['dev', 'jobs']] } } },
  Key: { Type: 'AWS::KMS::Key', Properties: { Description: 'no physical name' } },
  Database: { Type: 'AWS::Glue::Database', Properties: { DatabaseInput: { Name: 'sales' } } },
  Group: { Type: 'AWS::SageMaker::ModelPackageGroup', Properties: { ModelPackageGroupName: 'Churn' } },
  Catalog: { Type: 'AWS::Athena::DataCatalog', Properties: { Name: 'lake' } },
  Loop: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::GetAtt': ['Loop', 'Arn'] } } },
};

describe('resolveIntrinsics', () => {
  const resources = scope({ Resources: RESOURCES });

  it('gives each resource type the Ref and attributes CloudFormation documents', () => {
    expect(
      resolveIntrinsics(
        {
          queueRef: { Ref: 'Queue' },
          queueArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
          queueName: { 'Fn::GetAtt': 'Queue.QueueName' },
          keyRef: { Ref: 'Key' },
          keyArn: { 'Fn::GetAtt': ['Key', 'Arn'] },
          database: { Ref: 'Database' },
          group: { Ref: 'Group' },
          catalogArn: { 'Fn::GetAtt': ['Catalog', 'Arn'] },
        },
        resources,
      ),
    ).toEqual({
      queueRef: 'https://sqs.us-gov-west-1.amazonaws.com/123456789012/dev-jobs',
      queueArn: 'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:dev-jobs',
      queueName: 'dev-jobs',
      keyRef: 'local-Key',
      keyArn: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/local-Key',
      database: 'sales',
      group: 'arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:model-package-group/churn',
      catalogArn: 'arn:aws-us-gov:athena:us-gov-west-1:123456789012:data-catalog/lake',
    });
  });

  it('uses parameter defaults, splitting list parameters', () => {
    const parameters = scope({
      Parameters: { Env: { Type: 'String', Default: 'dev' }, Zones: { Type: 'CommaDelimitedList', Default: 'a,b' } },
    });
    expect(resolveIntrinsics({ 'Fn::Select': ['1', { Ref: 'Zones' }] }, parameters)).toBe('b');
    expect(resolveIntrinsics({ 'Fn::Sub': 'acme-${Env}' }, parameters)).toBe('acme-dev');
  });

  it('resolves the name of an import before looking it up', () => {
    const importing = scope({}, { 'Dev-Test-Topic': 'arn:topic' });
    expect(resolveIntrinsics({ 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-Topic' } }, importing)).toBe('arn:topic');
  });

  it('refuses what has no local value, saying which reference', () => {
    const parameters = scope({
      Parameters: { Secret: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/acme/secret' }, Bare: { Type: 'String' } },
      Resources: RESOURCES,
    });
    expect(() => resolveIntrinsics({ Ref: 'Secret' }, parameters)).toThrow(/Ref Secret: .* read from SSM at deploy time/);
    expect(() => resolveIntrinsics({ Ref: 'Bare' }, parameters)).toThrow(/Ref Bare: the parameter has no Default/);
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, parameters)).toThrow(/Ref Missing: no parameter or resource Missing in stack Dev-Test/);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Queue', 'Endpoint'] }, parameters)).toThrow(
      /Fn::GetAtt Queue.Endpoint: no local value for attribute Endpoint of AWS::SQS::Queue/,
    );
    expect(() => resolveIntrinsics({ Ref: 'Loop' }, parameters)).toThrow(/physical name of Loop refers to itself/);
    expect(() => resolveIntrinsics({ 'Fn::If': ['IsProd', 'a', 'b'] }, parameters)).toThrow(/unsupported intrinsic Fn::If/);
    expect(() => resolveIntrinsics({ 'Fn::Select': [5, ['a']] }, parameters)).toThrow(/index 5 is outside a list of 1/);
    expect(() => resolveIntrinsics({ 'Fn::Join': ['', [{ nested: true }]] }, parameters)).toThrow(/Fn::Join: expected a string/);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': 'NoDot' }, parameters)).toThrow(/Fn::GetAtt takes/);
  });

  it('needs the environment only for values that depend on it', () => {
    const agnostic: TemplateScope = {
      ...resources,
      environment: () => awsEnvironment('Dev-Test', { account: 'unknown-account', region: 'unknown-region' }),
    };
    expect(resolveIntrinsics({ Ref: 'Database' }, agnostic)).toBe('sales');
    expect(() => resolveIntrinsics({ Ref: 'AWS::Partition' }, agnostic)).toThrow(/environment-agnostic/);
  });
});
