import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../pipeline/dataset-loaded-event.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { withRetry } from './task-retry.ts';

/**
 * The Task that puts one `DatasetLoaded` event on the default bus, retried as notifications are:
 * a pipeline announces a loaded delivery, a build a published model, and builds reading either start.
 */
export function announceTask(scope: Construct, id: string, detail: Record<string, unknown>, timeout: sfn.Timeout): tasks.EventBridgePutEvents {
  return withRetry(
    new tasks.EventBridgePutEvents(scope, id, {
      entries: [{ source: LAKEHOUSE_EVENT_SOURCE, detailType: DATASET_LOADED_DETAIL_TYPE, detail: sfn.TaskInput.fromObject(detail) }],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: timeout,
    }),
    RETRY_POLICIES.notification,
  );
}

/**
 * Lets a role put `DatasetLoaded` events on the default bus and nothing else. `events:source` and
 * `events:detail-type` are multi-valued keys (one PutEvents call carries several entries), so a
 * plain `StringEquals` never matches and IAM denies every call: `ForAllValues` checks each entry,
 * and the `Null` guard stops a request without the keys from passing `ForAllValues` vacuously.
 */
export function announceStatement(scope: Stack, sid: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['events:PutEvents'],
    resources: [scope.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
    conditions: {
      'ForAllValues:StringEquals': { 'events:source': [LAKEHOUSE_EVENT_SOURCE], 'events:detail-type': [DATASET_LOADED_DETAIL_TYPE] },
      Null: { 'events:source': 'false', 'events:detail-type': 'false' },
    },
  });
}
