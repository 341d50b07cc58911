import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES_FILE, routerEnvironmentVariables } from '../../lambdas/route-landed-file/settings.ts';
import { stagedHandler } from '../../lib/constructs/lambda-code.ts';
import { domainRoutes } from '../../lib/constructs/domain-router.ts';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../aws/local-aws-endpoint.ts';
import { invokeBundle } from '../aws/run-bundle.ts';
import { dataset } from '../stacks/fixtures.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const ARN_PREFIX = 'arn:aws:states:eu-west-1:111111111111:stateMachine:';
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:acme-dev-sales-alerts';
const PUBLISHED = [
  '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">',
  '<PublishResult><MessageId>m-1</MessageId></PublishResult>',
  '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>',
  '</PublishResponse>',
].join('');

let endpoint: LocalAwsEndpoint;
let taskRoot: string;
/** Execution names Step Functions has seen: a second start with the same name is refused, as AWS does for a finished execution. */
const executions = new Set<string>();

beforeAll(async () => {
  endpoint = await startLocalAwsEndpoint((request) => {
    if (request.operation === 'AWSStepFunctions.StartExecution') {
      const { name } = JSON.parse(request.body) as { name: string };
      if (executions.has(name)) {
        return { status: 400, body: JSON.stringify({ __type: 'com.amazonaws.sfn#ExecutionAlreadyExists', message: `Execution Already Exists: '${name}'` }) };
      }
      executions.add(name);
      return { status: 200, body: JSON.stringify({ executionArn: `${ARN_PREFIX}x:${name}`, startDate: 1 }) };
    }
    return { status: 200, body: PUBLISHED };
  });
  const routes = domainRoutes(identity, 'sales', [dataset('sales', 'orders')]);
  taskRoot = stagedHandler('lambdas/route-landed-file/index.ts', { [ROUTES_FILE]: JSON.stringify(routes) }).directory;
});

afterAll(async () => {
  await endpoint.close();
});

function landed(key: string) {
  return { time: '2026-11-21T06:00:00Z', detail: { bucket: { name: 'landing' }, object: { key, etag: '"e"', 'version-id': 'v7' } } };
}

const environment = () => ({
  ...routerEnvironmentVariables({ stateMachineArnPrefix: ARN_PREFIX, alertTopicArn: TOPIC }),
  AWS_ENDPOINT_URL_SFN: endpoint.url,
  AWS_ENDPOINT_URL_SNS: endpoint.url,
});

describe('the deployed router: the bundle with its routes.json', () => {
  it('starts the pipeline through the Step Functions client, takes a redelivery as a duplicate, and alerts an unknown dataset through SNS', async () => {
    const started = await invokeBundle(taskRoot, landed('sales/orders/o.csv'), environment());
    const redelivered = await invokeBundle(taskRoot, landed('sales/orders/o.csv'), environment());
    const alerted = await invokeBundle(taskRoot, landed('sales/refunds/r.csv'), environment());
    expect(started).toEqual({ result: { outcome: 'started', executionArn: expect.stringMatching(/^arn:aws:states:.*:x:file-[0-9a-f]{24}$/) } });
    expect(redelivered).toEqual({ result: { outcome: 'duplicate', executionName: expect.stringMatching(/^file-[0-9a-f]{24}$/) } });
    expect(alerted).toMatchObject({ result: { outcome: 'alerted' } });

    expect(endpoint.received.map((request) => request.operation)).toEqual([
      'AWSStepFunctions.StartExecution',
      'AWSStepFunctions.StartExecution',
      'sns:Publish',
    ]);
    const [start, , publish] = endpoint.received;
    expect(start!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/states\/aws4_request/);
    expect(start!.headers['x-amz-security-token']).toBe('local-token');
    expect(JSON.parse(start!.body)).toMatchObject({
      stateMachineArn: `${ARN_PREFIX}acme-dev-sales-pipeline-orders`,
      name: expect.stringMatching(/^file-[0-9a-f]{24}$/),
    });
    expect(publish!.headers['authorization']).toMatch(/\/eu-west-1\/sns\/aws4_request/);
    const form = new URLSearchParams(publish!.body);
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('TopicArn')).toBe(TOPIC);
    expect(form.get('Message')).toContain('s3://landing/sales/refunds/r.csv (version v7)');
  });

  it('fails its first invocation when its settings are missing, rather than routing nowhere', async () => {
    const outcome = invokeBundle(taskRoot, landed('sales/orders/o.csv'), { AWS_ENDPOINT_URL_SFN: endpoint.url, AWS_ENDPOINT_URL_SNS: endpoint.url });
    await expect(outcome).rejects.toThrow(/STATE_MACHINE_ARN_PREFIX and ALERT_TOPIC_ARN/);
  });
});
