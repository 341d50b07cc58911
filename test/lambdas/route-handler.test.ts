import { Logger } from '@aws-lambda-powertools/logger';
import { ExecutionAlreadyExists, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { AuthorizationErrorException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createRouterHandler } from '../../lambdas/route-landed-file/handler.ts';
import { parseRoutes, readRouterSettings, routerEnvironmentVariables } from '../../lambdas/route-landed-file/settings.ts';
import { fakeAwsNetwork, type Script } from '../aws/fake-sdk-clients.ts';

const ARN_PREFIX = 'arn:aws:states:eu-west-1:111111111111:stateMachine:';
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:acme-dev-sales-alerts';

/** The router on fake Step Functions and SNS clients answering from their scripts. */
function router(scripts: { stepFunctions?: Script; sns?: Script }) {
  const network = fakeAwsNetwork();
  const route = createRouterHandler({
    stepFunctions: network.client('states', scripts.stepFunctions ?? {}),
    sns: network.client('sns', scripts.sns ?? {}),
    routes: { domain: 'sales', pipelines: { orders: 'acme-dev-sales-pipeline-orders' } },
    stateMachineArnPrefix: ARN_PREFIX,
    alertTopicArn: TOPIC,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { route, sent: network.sent, commands: network.commands };
}

function landed(key: string): Record<string, unknown> {
  return {
    'detail-type': 'Object Created',
    source: 'aws.s3',
    time: '2026-11-21T06:00:00Z',
    detail: { bucket: { name: 'landing' }, object: { key, etag: '"abc"', 'version-id': 'v1' } },
  };
}

describe('router handler', () => {
  it("starts the dataset's state machine with the validator's input, named after the file", async () => {
    const { route, sent, commands } = router({
      stepFunctions: { StartExecutionCommand: [{ executionArn: `${ARN_PREFIX}acme-dev-sales-pipeline-orders:file-1`, startDate: new Date(1) }] },
    });
    await expect(route(landed('sales/orders/orders.csv'))).resolves.toEqual({
      outcome: 'started',
      executionArn: `${ARN_PREFIX}acme-dev-sales-pipeline-orders:file-1`,
    });
    expect(commands()).toEqual(['states:StartExecutionCommand']);
    const { input } = sent[0]!;
    expect(Object.keys(input).sort()).toEqual(['input', 'name', 'stateMachineArn']);
    expect(input['stateMachineArn']).toBe(`${ARN_PREFIX}acme-dev-sales-pipeline-orders`);
    expect(input['name']).toMatch(/^file-[0-9a-f]{24}$/);
    expect(JSON.parse(input['input'] as string)).toEqual({
      bucket: 'landing',
      key: 'sales/orders/orders.csv',
      versionId: 'v1',
      eventTime: '2026-11-21T06:00:00Z',
    });
  });

  it('treats a duplicated event as done: the execution already exists', async () => {
    const exists = new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: { httpStatusCode: 400 } });
    const { route, sent } = router({ stepFunctions: { StartExecutionCommand: [{ executionArn: 'arn:first', startDate: new Date(1) }, exists] } });
    const first = await route(landed('sales/orders/orders.csv'));
    const second = await route(landed('sales/orders/orders.csv'));
    expect(first.outcome).toBe('started');
    expect(second).toEqual({ outcome: 'duplicate', executionName: sent[0]!.input['name'] });
    expect(sent[1]!.input['name']).toBe(sent[0]!.input['name']);
  });

  it('throws other failures to start, so Lambda retries and then dead-letters the event', async () => {
    const gone = new StateMachineDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } });
    const { route } = router({ stepFunctions: { StartExecutionCommand: [gone] } });
    await expect(route(landed('sales/orders/orders.csv'))).rejects.toBe(gone);
  });

  it('alerts the domain about a dataset no contract declares and starts nothing', async () => {
    const { route, sent, commands } = router({ sns: { PublishCommand: [{ MessageId: 'm-1' }] } });
    const result = await route(landed('sales/refunds/refunds.csv'));
    expect(result).toEqual({ outcome: 'alerted', reason: "no contract of domain 'sales' declares dataset 'refunds' (its datasets: orders)" });
    expect(commands()).toEqual(['sns:PublishCommand']);
    expect(sent[0]!.input).toEqual({
      TopicArn: TOPIC,
      Subject: 'Lakehouse sales: landed file not routed',
      Message: expect.stringContaining('s3://landing/sales/refunds/refunds.csv (version v1)'),
    });
  });

  it('throws when the alert cannot be published, so the unrouted file is not forgotten', async () => {
    const denied = new AuthorizationErrorException({ message: 'not allowed to publish', $metadata: { httpStatusCode: 403 } });
    const { route } = router({ sns: { PublishCommand: [denied] } });
    await expect(route(landed('sales/refunds/refunds.csv'))).rejects.toBe(denied);
  });

  it('ignores folder placeholders without a call', async () => {
    const { route, sent } = router({});
    await expect(route(landed('sales/orders/'))).resolves.toMatchObject({ outcome: 'ignored' });
    expect(sent).toEqual([]);
  });

  it('rejects an event that is not an S3 event', async () => {
    const { route, sent } = router({});
    await expect(route({ detail: {} })).rejects.toThrow(/not an S3 "Object Created" event/);
    expect(sent).toEqual([]);
  });
});

describe('router settings', () => {
  it('round-trips through the environment the construct writes', () => {
    const settings = { stateMachineArnPrefix: ARN_PREFIX, alertTopicArn: TOPIC };
    expect(readRouterSettings(routerEnvironmentVariables(settings))).toEqual(settings);
  });

  it('says which variables are missing', () => {
    expect(() => readRouterSettings({})).toThrow(/STATE_MACHINE_ARN_PREFIX and ALERT_TOPIC_ARN/);
  });

  it('refuses a routing table of the wrong shape', () => {
    expect(parseRoutes('{"domain":"sales","pipelines":{"orders":"m"}}')).toEqual({ domain: 'sales', pipelines: { orders: 'm' } });
    expect(() => parseRoutes('{"domain":"sales","pipelines":{"orders":1}}')).toThrow(/routes\.json is not/);
    expect(() => parseRoutes('[]')).toThrow(/routes\.json is not/);
  });
});
