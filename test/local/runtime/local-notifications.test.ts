import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalNotifications } from '../../../lib/local/runtime/local-notifications.ts';

let directory: string;
let notifications: LocalNotifications;
let said: string[];
const say = (line: string) => said.push(line);
const NOW = new Date('2026-11-21T06:00:00Z');

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'notifications-'));
  said = [];
  notifications = new LocalNotifications(
    { alertsLog: join(directory, 'alerts.log'), eventsLog: join(directory, 'events.log'), metricsLog: join(directory, 'metrics.log') },
    () => NOW,
  );
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const lines = (name: string) =>
  readFileSync(join(directory, name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

describe('notifications offline', () => {
  it('logs an SNS alert as one JSON line, tells people, and answers with a message id', async () => {
    const topicArn = 'arn:aws:sns:eu-west-1:111111111111:acme-dev-sales-alerts';
    const response = await notifications.publish({ TopicArn: topicArn, Subject: 'File rejected: sales/orders', Message: { alert: 'FileRejected' } }, say);
    expect(response).toEqual({ MessageId: expect.any(String) });
    expect(lines('alerts.log')).toEqual([
      { at: NOW.toISOString(), topicArn, subject: 'File rejected: sales/orders', message: { alert: 'FileRejected' }, messageId: response['MessageId'] },
    ]);
    expect(said).toEqual([expect.stringMatching(/^⚠ alert to acme-dev-sales-alerts: File rejected: sales\/orders/)]);
  });

  it('logs each EventBridge entry with its detail and answers as PutEvents does', async () => {
    const response = await notifications.putEvents(
      { Entries: [{ Source: 'contract-lakehouse', DetailType: 'DatasetLoaded', Detail: '{"dataset":"sales/orders"}' }] },
      say,
    );
    expect(response).toEqual({ Entries: [{ EventId: expect.any(String) }], FailedEntryCount: 0 });
    expect(lines('events.log')).toEqual([
      expect.objectContaining({ source: 'contract-lakehouse', detailType: 'DatasetLoaded', eventBusName: 'default', detail: { dataset: 'sales/orders' } }),
    ]);
  });

  it("logs an event a service emits itself as a PutEvents entry is, keeping the event's id and time", () => {
    const event = { id: 'e-1', 'detail-type': 'SageMaker Model Package State Change', source: 'aws.sagemaker', time: '2026-11-20T10:00:00.000Z', detail: { ModelPackageVersion: 2 } };
    notifications.recordServiceEvent(event);
    expect(lines('events.log')).toEqual([
      { time: '2026-11-20T10:00:00.000Z', id: 'e-1', source: 'aws.sagemaker', detailType: 'SageMaker Model Package State Change', eventBusName: 'default', detail: { ModelPackageVersion: 2 } },
    ]);
  });

  it('logs metric data and says each value with its dimensions', async () => {
    await notifications.putMetricData(
      { Namespace: 'ContractLakehouse', MetricData: [{ MetricName: 'RowsLoaded', Value: 36, Unit: 'Count', Dimensions: [{ Name: 'Dataset', Value: 'orders' }] }] },
      say,
    );
    expect(lines('metrics.log')).toEqual([expect.objectContaining({ namespace: 'ContractLakehouse', metric: expect.objectContaining({ Value: 36 }) })]);
    expect(said).toEqual(['· metric ContractLakehouse/RowsLoaded = 36 (Dataset=orders)']);
  });

  it("refuses requests each service would refuse, with that service's error", async () => {
    await expect(notifications.publish({ Message: 'x' }, say)).rejects.toMatchObject({ name: 'SNS.InvalidParameterException' });
    await expect(notifications.publish({ TopicArn: 'arn:aws:sns:eu-west-1:1:t' }, say)).rejects.toMatchObject({ name: 'SNS.InvalidParameterException' });
    await expect(notifications.putEvents({ Entries: [{ DetailType: 'x' }] }, say)).rejects.toMatchObject({ name: 'EventBridge.ValidationException' });
    await expect(notifications.putMetricData({ MetricData: [] }, say)).rejects.toMatchObject({ name: 'CloudWatch.InvalidParameterValueException' });
  });
});
