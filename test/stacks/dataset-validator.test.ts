import { App, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { validatorFunctionName } from '../../lib/config/names.ts';
import { DatasetValidator } from '../../lib/constructs/dataset-validator.ts';
import { buildApp, datasetTemplate, resourcesOf } from './build.ts';
import { catalog, dataset, domain, environment, salesDomain, settings, typedOrders } from './fixtures.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const stage = buildApp().stage('dev');
const orders = datasetTemplate(stage, 'sales', 'orders');
const importOf = (output: string) => ({ 'Fn::ImportValue': `acme-dev-platform-${output}` });
const objectsUnder = (bucketOutput: string, prefix: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', importOf(bucketOutput), `/${prefix}*`]],
});

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

function only<T>(resources: Record<string, T>): [string, T] {
  const entries = Object.entries(resources);
  if (entries.length !== 1) throw new Error(`expected one resource, found ${entries.length}`);
  return entries[0]!;
}

function functionOf(template: Template, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find((resource) => resource.Properties['FunctionName'] === name);
  if (found === undefined) throw new Error(`no function ${name}`);
  return found.Properties;
}

function roleStatements(template: Template, fn: Record<string, any>): Statement[] {
  const roleId = (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = resourcesOf(template, 'AWS::IAM::Role')[roleId]!;
  const policies = role.Properties['Policies'] as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

describe('dataset validator function', () => {
  const fn = functionOf(orders, 'acme-dev-sales-orders-validate');

  it('runs the bundled handler on the latest Node.js runtime, x86_64, 2 GB, 10 minutes, 4 GiB of /tmp, traced', () => {
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      Handler: 'index.handler',
      MemorySize: 2048,
      Timeout: 600,
      EphemeralStorage: { Size: 4096 },
      TracingConfig: { Mode: 'Active' },
    });
    const newestNode = lambda.Runtime.ALL.filter((runtime) => /^nodejs\d/.test(runtime.name))
      .map((runtime) => runtime.name)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .at(-1);
    expect(fn['Runtime']).toBe(newestNode);
  });

  it('takes DuckDB from the layer whose version ARN the platform publishes in SSM, read at deploy time', () => {
    const layers = fn['Layers'] as { Ref: string }[];
    expect(layers).toHaveLength(1);
    const parameter = orders.toJSON()['Parameters'][layers[0]!.Ref];
    expect(parameter).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/acme/dev/lakehouse/duckdb-layer-version-arn' });
    expect(JSON.stringify(orders.toJSON())).not.toMatch(/DuckDb[^"]*Export|duckdb[^"]*ImportValue/i);
  });

  it('tells the handler its environment and zone buckets', () => {
    expect(fn['Environment']).toEqual({
      Variables: {
        LAKEHOUSE_ENVIRONMENT: 'dev',
        LANDING_BUCKET: importOf('LandingBucketName'),
        VALIDATED_BUCKET: importOf('ValidatedBucketName'),
        QUARANTINE_BUCKET: importOf('QuarantineBucketName'),
        AUDIT_BUCKET: importOf('AuditBucketName'),
      },
    });
  });

  it('logs to its own log group, kept a year', () => {
    const logGroupId = (fn['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const logGroup = resourcesOf(orders, 'AWS::Logs::LogGroup')[logGroupId]!;
    expect(logGroup.Properties).toMatchObject({ LogGroupName: '/aws/lambda/acme-dev-sales-orders-validate', RetentionInDays: 365 });
    expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
  });
});

describe('dataset validator role', () => {
  const fn = functionOf(orders, 'acme-dev-sales-orders-validate');
  const statements = roleStatements(orders, fn);

  it('reads and tags only the dataset landing prefix and writes only its validated, quarantine and report prefixes', () => {
    expect(statements.filter((statement) => statement.Sid !== 'WriteLogs' && statement.Sid !== 'Trace')).toEqual([
      {
        Sid: 'ReadLandedFiles',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'],
        Resource: objectsUnder('LandingBucketName', 'sales/orders/'),
      },
      {
        Sid: 'TagLandedFiles',
        Effect: 'Allow',
        Action: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        Resource: objectsUnder('LandingBucketName', 'sales/orders/'),
        // The fixture's orders declare no retention: kept forever.
        Condition: { StringEquals: { 's3:RequestObjectTag/lakehouse:retention': 'none' } },
      },
      {
        Sid: 'WriteOutputs',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectTagging'],
        Resource: [
          objectsUnder('ValidatedBucketName', 'sales/orders/'),
          objectsUnder('QuarantineBucketName', 'sales/orders/'),
          objectsUnder('AuditBucketName', 'reports/sales/orders/'),
        ],
      },
      { Sid: 'UseZoneKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: importOf('KeyArn') },
    ]);
  });

  it('grants no wildcard action, nothing bucket-wide, and "*" only for X-Ray, which has no resource-level permissions', () => {
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    const resources = statements.flatMap((statement) => [statement.Resource].flat());
    const bucketWide = resources.filter((resource) => JSON.stringify(resource).includes('"/*"'));
    expect(bucketWide).toEqual([]);
    expect(statements.filter((statement) => [statement.Resource].flat().includes('*'))).toEqual([
      { Sid: 'Trace', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
  });

  it('writes only to its own log group', () => {
    const logGroupId = (fn['LoggingConfig'] as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(statements.find((statement) => statement.Sid === 'WriteLogs')).toEqual({
      Sid: 'WriteLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    });
  });

  it('has a role of its own with no managed policy and no separate policy resource', () => {
    const roleId = (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resourcesOf(orders, 'AWS::IAM::Role')[roleId]!.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(resourcesOf(orders, 'AWS::IAM::Policy')).toEqual({});
    const otherRoles = Object.values(resourcesOf(datasetTemplate(stage, 'sales', 'customers'), 'AWS::Lambda::Function')).map(
      (resource) => resource.Properties['Role'],
    );
    expect(otherRoles).not.toContainEqual(fn['Role']);
  });

  it("scopes validated writes by table name, so a major version 2 writes under orders_v2 and nothing of version 1's", () => {
    const ordersV2 = dataset('sales', 'orders', { names: { ref: 'sales/orders', table: 'orders_v2', landingPrefix: 'sales/orders/' } });
    const template = datasetTemplate(buildApp(catalog(domain('sales', [ordersV2]))).stage('dev'), 'sales', 'orders');
    const write = roleStatements(template, functionOf(template, 'acme-dev-sales-orders-validate')).find((statement) => statement.Sid === 'WriteOutputs');
    expect(write?.Resource).toEqual([
      objectsUnder('ValidatedBucketName', 'sales/orders_v2/'),
      objectsUnder('QuarantineBucketName', 'sales/orders/'),
      objectsUnder('AuditBucketName', 'reports/sales/orders/'),
    ]);
  });
});

describe('dataset validators in dataset stacks', () => {
  it('gives every dataset its own validator, found by dataset name', () => {
    const stacks = [...stage.domains.get('sales')!.datasets.values()];
    const names = stacks.flatMap((stack) => [...stack.validators.values()].map((validator) => validator.fn.functionName));
    expect(names).toHaveLength(salesDomain.datasets.length);
    const functionNames = stacks.flatMap((stack) =>
      Object.values(resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function')).map((resource) => resource.Properties['FunctionName']),
    );
    expect(functionNames.sort()).toEqual(['acme-dev-sales-customers-validate', 'acme-dev-sales-order_items-validate', 'acme-dev-sales-orders-validate']);
  });

  it('drops the log group with the stack when the environment destroys', () => {
    const destroying = buildApp(catalog(salesDomain), settings({ environments: [environment('dev', { removalPolicy: 'destroy' })] }));
    const logGroups = Object.values(resourcesOf(datasetTemplate(destroying.stage('dev'), 'sales', 'orders'), 'AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThan(0);
    expect(logGroups.map((logGroup) => logGroup.DeletionPolicy)).toEqual(logGroups.map(() => 'Delete'));
  });

  it("refuses a dataset whose construct id is another dataset's validator id", () => {
    const clashing = domain('sales', [typedOrders, dataset('sales', 'orders_validator')]);
    expect(() => buildApp(catalog(clashing), settings({ datasetStacksPerDomain: 1 }))).toThrow(/'sales\/orders_validator' and another dataset of the domain both map to construct id 'OrdersValidator'/);
  });
});

describe('DatasetValidator props', () => {
  function validatorStack(props: Partial<ConstructorParameters<typeof DatasetValidator>[2]> = {}): Template {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
    new DatasetValidator(stack, 'Validator', {
      dataset: typedOrders,
      identity,
      buckets: { landing: 'l', validated: 'v', quarantine: 'q', audit: 'a' },
      key: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      duckDbLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:eu-west-1:111111111111:layer:duckdb:3'),
      ...props,
    });
    return Template.fromStack(stack);
  }

  it('defaults to 2048 MB, 10 minutes, 4 GiB of /tmp, logs kept a year and retained', () => {
    const template = validatorStack();
    const [, fn] = only(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(fn.Properties).toMatchObject({ MemorySize: 2048, Timeout: 600, EphemeralStorage: { Size: 4096 }, Layers: ['arn:aws:lambda:eu-west-1:111111111111:layer:duckdb:3'] });
    const [, logGroup] = only(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroup.Properties['RetentionInDays']).toBe(365);
    expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it("may tag a landed file only with the smallest retention class covering its contract's retention", () => {
    const template = validatorStack({ dataset: { ...typedOrders, retentionDays: 100 } });
    const [, role] = only(resourcesOf(template, 'AWS::IAM::Role'));
    const statements = (role.Properties['Policies'] as { PolicyDocument: { Statement: (Statement & { Condition?: unknown })[] } }[])[0]!.PolicyDocument.Statement;
    expect(statements.find((statement) => statement.Sid === 'TagLandedFiles')?.Condition).toEqual({
      StringEquals: { 's3:RequestObjectTag/lakehouse:retention': '1y' },
    });
  });

  it('takes other sizes, timeout, retention and removal policy', () => {
    const template = validatorStack({
      memorySize: 4096,
      timeout: Duration.minutes(15),
      ephemeralStorageSize: Size.gibibytes(10),
      logRetention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const [, fn] = only(resourcesOf(template, 'AWS::Lambda::Function'));
    expect(fn.Properties).toMatchObject({ MemorySize: 4096, Timeout: 900, EphemeralStorage: { Size: 10240 } });
    const [, logGroup] = only(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroup.Properties['RetentionInDays']).toBe(90);
    expect(logGroup.DeletionPolicy).toBe('Delete');
  });
});

describe('validator function names', () => {
  it('are <org>-<env>-<domain>-<dataset>-validate', () => {
    expect(validatorFunctionName(identity, { domain: 'sales', name: 'orders' })).toBe('acme-dev-sales-orders-validate');
  });

  it("fit Lambda's 64 characters, stay stable and tell long names apart", () => {
    const long = (suffix: string) => ({ domain: 'customer_engagement', name: `web_session_attribution_${suffix}` });
    const first = validatorFunctionName(identity, long('daily'));
    const second = validatorFunctionName(identity, long('weekly'));
    expect(first).toHaveLength(64);
    expect(second).toHaveLength(64);
    expect(first).not.toBe(second);
    expect(validatorFunctionName(identity, long('daily'))).toBe(first);
    expect(first.startsWith('acme-dev-customer_engagement-web_session_attribution')).toBe(true);
  });
});
