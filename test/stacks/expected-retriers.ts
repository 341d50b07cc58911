/**
 * The Retry entries a synthesized definition holds for the project's retry policies, as the tests
 * that pin a machine's error handling expect them (derived from the policies, never copied from
 * a template).
 */
import { NEW_QUERY_RETRY, type RetryPolicy } from '../../lib/pipeline/retry-policy.ts';

/** `withRetry(state, policy)`, as synthesized. */
export function expectedRetrier(policy: RetryPolicy) {
  return {
    ErrorEquals: [...policy.errors],
    IntervalSeconds: policy.intervalSeconds,
    BackoffRate: policy.backoffRate,
    MaxAttempts: policy.maxAttempts,
    MaxDelaySeconds: policy.maxDelaySeconds,
    JitterStrategy: 'FULL',
  };
}

/** `retryAsNewQuery(state)`, as synthesized: no delay bound. */
export const EXPECTED_NEW_QUERY_RETRIER = {
  ErrorEquals: [...NEW_QUERY_RETRY.errors],
  IntervalSeconds: NEW_QUERY_RETRY.intervalSeconds,
  BackoffRate: NEW_QUERY_RETRY.backoffRate,
  MaxAttempts: NEW_QUERY_RETRY.maxAttempts,
  JitterStrategy: 'FULL',
};
