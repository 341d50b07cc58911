import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DATASET_LOADED_DETAIL_TYPE, LAKEHOUSE_EVENT_SOURCE } from '../pipeline/dataset-loaded-event.ts';

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
