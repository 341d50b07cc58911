import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NEW_QUERY_RETRY, type RetryPolicy } from '../pipeline/retry-policy.ts';

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

/** Retries an Athena statement that failed as a new query (`NEW_QUERY_RETRY`), with full jitter. */
export function retryAsNewQuery(state: sfn.TaskStateBase | sfn.CustomState): void {
  state.addRetry({
    errors: [...NEW_QUERY_RETRY.errors],
    interval: Duration.seconds(NEW_QUERY_RETRY.intervalSeconds),
    backoffRate: NEW_QUERY_RETRY.backoffRate,
    maxAttempts: NEW_QUERY_RETRY.maxAttempts,
    jitterStrategy: sfn.JitterType.FULL,
  });
}
