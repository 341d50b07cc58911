import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { RetryPolicy } from '../pipeline/retry-policy.ts';

/** Adds `policy` to `state` as one retrier with exponential backoff and full jitter. */
export function withRetry<T extends sfn.TaskStateBase>(state: T, policy: RetryPolicy): T {
  state.addRetry({
    errors: [...policy.errors],
    interval: Duration.seconds(policy.intervalSeconds),
    backoffRate: policy.backoffRate,
    maxAttempts: policy.maxAttempts,
    maxDelay: Duration.seconds(policy.maxDelaySeconds),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return state;
}

/**
 * Retries an Athena statement that failed, for instance by losing an Iceberg commit race:
 * without a ClientRequestToken each attempt is a new query, so it runs afresh, and a failed
 * statement committed nothing.
 */
export function retryAsNewQuery(state: sfn.TaskStateBase | sfn.CustomState): void {
  state.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 2, jitterStrategy: sfn.JitterType.FULL });
}
