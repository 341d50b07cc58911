import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { ROUTES_FILE } from '../../lambdas/route-landed-file/settings.ts';
import { domainFunctionName, pipelineStateMachineName, pipelineStateMachinePrefix } from '../../lib/config/names.ts';
import { DomainRouter, domainRoutes } from '../../lib/constructs/domain-router.ts';
import { buildApp, resourcesOf } from './build.ts';
import { catalog, dataset, domain, environment, settings } from './fixtures.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const sales = domain('sales', [dataset('sales', 'orders'), dataset('sales', 'customers'), dataset('sales', 'order_items')]);
const marketing = domain('marketing', [dataset('marketing', 'campaigns')]);
const built = buildApp(catalog(sales, marketing), settings({ environments: [environment('dev')] }));
const stage = built.stage('dev');
const salesTemplate = Template.fromStack(stage.domains.get('sales')!.domain);

function landingRules(template: Template) {
  return Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter(
    (rule) => (rule.Properties['EventPattern'] as { source?: string[] } | undefined)?.source?.[0] === 'aws.s3',
  );
}

describe('landing events of a domain', () => {
  it('arrive through one rule per domain matching its prefix, not one per dataset', () => {
    for (const [name, stacks] of stage.domains) {
      const rules = landingRules(Template.fromStack(stacks.domain));
      expect(rules).toHaveLength(1);
      expect(rules[0]!.Properties['EventPattern']).toEqual({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ 'Fn::ImportValue': 'acme-dev-platform-LandingBucketName' }] },
          object: { key: [{ prefix: `${name}/` }] },
        },
      });
    }
  });

  it('go to the router, and to an encrypted SSL-only dead-letter queue when they cannot be delivered', () => {
    const [rule] = landingRules(salesTemplate);
    expect(rule!.Properties['Targets']).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^RouterFunction/), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^RouterDeadLetters/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
      }),
    ]);
    salesTemplate.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::ImportValue': 'acme-dev-platform-KeyArn' },
      MessageRetentionPeriod: 1_209_600,
    });
    salesTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' }),
        ]),
      },
    });
  });

  it('are routed by a traced function whose failed invocations are retried, then dead-lettered and alarmed', () => {
    salesTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'acme-dev-sales-router',
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RouterDeadLetters'), 'Arn'] } },
      Environment: {
        Variables: {
          STATE_MACHINE_ARN_PREFIX: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:']],
          },
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^AlertsTopic') },
        },
      },
    });
    salesTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    salesTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
    });
  });

  it("let the router start only its domain's pipelines and alert only its domain", () => {
    const roles = resourcesOf(salesTemplate, 'AWS::IAM::Role');
    const routerRole = Object.entries(roles).find(([id]) => id.startsWith('RouterRole'))![1];
    expect(routerRole.Properties['ManagedPolicyArns']).toBeUndefined();
    const policy = Object.entries(resourcesOf(salesTemplate, 'AWS::IAM::Policy')).find(([id]) => id.startsWith('RouterRoleDefaultPolicy'))![1];
    const statements = (policy.Properties['PolicyDocument'] as { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] }).Statement;
    expect(statements.find((statement) => statement.Sid === 'StartDomainPipelines')).toMatchObject({
      Action: 'states:StartExecution',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:acme-dev-sales-pipeline-*']],
      },
    });
    expect(statements.find((statement) => statement.Sid === 'AlertTheDomain')).toMatchObject({
      Action: 'sns:Publish',
      Resource: { Ref: expect.stringMatching(/^AlertsTopic/) },
    });
  });

  it('bundle the routing table of every dataset of the domain with the router', () => {
    const [fn] = Object.values(resourcesOf(salesTemplate, 'AWS::Lambda::Function')).filter(
      (resource) => resource.Properties['FunctionName'] === 'acme-dev-sales-router',
    );
    const key = (fn!.Properties['Code'] as { S3Key: string }).S3Key;
    const routesFile = join(stage.assetOutdir, `asset.${key.replace(/\.zip$/, '')}`, ROUTES_FILE);
    expect(existsSync(routesFile)).toBe(true);
    expect(JSON.parse(readFileSync(routesFile, 'utf8'))).toEqual({
      domain: 'sales',
      pipelines: Object.fromEntries(sales.datasets.map((item) => [item.name, pipelineStateMachineName(identity, item)])),
    });
  });
});

describe('domainRoutes', () => {
  it("maps each dataset name to its pipeline's state machine name, in a stable order", () => {
    const routes = domainRoutes(identity, 'sales', [dataset('sales', 'orders'), dataset('sales', 'customers', { names: { ref: 'sales/customers', table: 'customers_v2', landingPrefix: 'sales/customers/' } })]);
    expect(routes).toEqual({
      domain: 'sales',
      pipelines: { customers: 'acme-dev-sales-pipeline-customers_v2', orders: 'acme-dev-sales-pipeline-orders' },
    });
    expect(Object.keys(routes.pipelines)).toEqual(['customers', 'orders']);
  });
});

describe('names of long domains and datasets', () => {
  it('stay within the limits and keep the whole prefix the router may start', () => {
    const domainName = 'd'.repeat(40);
    const item = dataset(domainName, 't'.repeat(60));
    const pipeline = pipelineStateMachineName(identity, item);
    expect(pipeline.length).toBeLessThanOrEqual(80);
    expect(pipeline.startsWith(pipelineStateMachinePrefix(identity, domainName))).toBe(true);
    expect(pipelineStateMachineName(identity, dataset(domainName, `${'t'.repeat(60)}x`))).not.toBe(pipeline);
    expect(domainFunctionName(identity, 'd'.repeat(60), 'router').length).toBeLessThanOrEqual(64);
  });

  it('refuse a domain whose prefix leaves no room for dataset names', () => {
    expect(() => pipelineStateMachineName(identity, dataset('d'.repeat(60), 'orders'))).toThrow(/shorten the domain/);
  });
});

describe('DomainRouter defaults', () => {
  it('retries a failed invocation twice and keeps its logs a year, retained', () => {
    const app = new App();
    const stack = new Stack(new Stage(app, 'Test'), 'Routing', { env: { account: identity.account, region: identity.region } });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/k');
    new DomainRouter(stack, 'Router', {
      identity,
      domain: 'sales',
      datasets: [dataset('sales', 'orders')],
      landingBucketName: 'landing',
      alertTopic: new sns.Topic(stack, 'Alerts'),
      key,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/acme-dev-sales-router', RetentionInDays: 365 },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });
});
