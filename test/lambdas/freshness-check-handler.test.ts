/** The freshness check's handler, on mocked SDK clients: the calls it makes and what it publishes. */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFreshnessCheckHandler } from '../../lambdas/freshness-check/handler.ts';

const ARN_PREFIX = 'arn:aws:states:eu-west-1:111111111111:stateMachine:';
const now = new Date('2026-12-05T12:00:00Z');
const config = {
  environment: 'dev',
  targets: [
    { domain: 'sales', dataset: 'orders', stateMachineName: 'acme-dev-sales-pipeline-orders' },
    { domain: 'sales', dataset: 'refunds', stateMachineName: 'acme-dev-sales-pipeline-refunds' },
  ],
};
const stepFunctions = mockClient(SFNClient);
const cloudWatch = mockClient(CloudWatchClient);

function handler() {
  return createFreshnessCheckHandler({
    stateMachineArnPrefix: ARN_PREFIX,
    config,
    stepFunctions: new SFNClient({ region: 'eu-west-1' }),
    cloudWatch: new CloudWatchClient({ region: 'eu-west-1' }),
    now: () => now,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
}

beforeEach(() => {
  stepFunctions.reset();
  cloudWatch.reset();
  cloudWatch.on(PutMetricDataCommand).resolves({});
  // orders loaded an hour ago; refunds never loaded, its pipeline created a day ago.
  stepFunctions
    .on(ListExecutionsCommand, { stateMachineArn: `${ARN_PREFIX}acme-dev-sales-pipeline-orders` })
    .resolves({ executions: [{ executionArn: 'e', stateMachineArn: 's', name: 'n', status: 'SUCCEEDED', startDate: new Date('2026-12-05T10:59:00Z'), stopDate: new Date('2026-12-05T11:00:00Z') }] })
    .on(ListExecutionsCommand, { stateMachineArn: `${ARN_PREFIX}acme-dev-sales-pipeline-refunds` })
    .resolves({ executions: [] })
    .on(DescribeStateMachineCommand)
    .resolves({ creationDate: new Date('2026-12-04T12:00:00Z') });
});

describe('the freshness check handler', () => {
  it('asks for the one latest successful execution of each pipeline, describes only a pipeline that never succeeded, and publishes once', async () => {
    expect(await handler()()).toEqual({ ages: { 'sales/orders': 3600, 'sales/refunds': 86_400 } });
    expect(stepFunctions.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input)).toEqual(
      config.targets.map((target) => ({ stateMachineArn: `${ARN_PREFIX}${target.stateMachineName}`, statusFilter: 'SUCCEEDED', maxResults: 1 })),
    );
    expect(stepFunctions.commandCalls(DescribeStateMachineCommand).map((call) => call.args[0].input)).toEqual([
      { stateMachineArn: `${ARN_PREFIX}acme-dev-sales-pipeline-refunds` },
    ]);
    const [put, ...others] = cloudWatch.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);
    expect(others).toEqual([]);
    expect(put!.Namespace).toBe('ContractLakehouse');
    expect(put!.MetricData!.map((datum) => [datum.MetricName, datum.Dimensions!.find((d) => d.Name === 'Dataset')!.Value, datum.Value])).toEqual([
      ['LastLoadAgeSeconds', 'orders', 3600],
      ['LastLoadAgeSeconds', 'refunds', 86_400],
    ]);
  });

  it('publishes what it measured and then fails, naming the dataset it could not measure', async () => {
    stepFunctions.on(ListExecutionsCommand, { stateMachineArn: `${ARN_PREFIX}acme-dev-sales-pipeline-refunds` }).rejects(new Error('AccessDenied'));
    await expect(handler()()).rejects.toThrow(/could not measure the last load of sales\/refunds; the other 1 were published/);
    const [put] = cloudWatch.commandCalls(PutMetricDataCommand).map((call) => call.args[0].input);
    expect(put!.MetricData!.map((datum) => datum.Value)).toEqual([3600]);
  });
});
