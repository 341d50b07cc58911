/**
 * Which errors each of the pipeline's Task states retries, and how. Retries back off
 * exponentially with full jitter, so pipelines throttled together do not retry together. Errors
 * are named as Step Functions names them (`<Service>.<Exception>`); the offline runtime throws the
 * same names (`TaskError`), so the definition's retries are exercised offline too. Pure data.
 */

export interface RetryPolicy {
  readonly errors: readonly string[];
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  readonly maxAttempts: number;
  /** Upper bound of one pause, whatever the backoff reached. */
  readonly maxDelaySeconds: number;
}

const BACKOFF = { intervalSeconds: 2, backoffRate: 2, maxAttempts: 6, maxDelaySeconds: 60 } as const;

export const RETRY_POLICIES = {
  /** The validator's invocation: Lambda's own failures and throttling, never the function's errors. */
  lambda: {
    ...BACKOFF,
    errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  },
  /**
   * Starting the load query. The request token stays the same, so a retry after a lost response
   * returns the query already started instead of starting a second one. A query that ran and
   * failed is not retried here: the same token would only return it again.
   */
  athena: {
    ...BACKOFF,
    intervalSeconds: 5,
    maxDelaySeconds: 120,
    errors: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
  },
  /** Lock reads and writes; a failed condition is an answer, handled by the states' catches, not retried. */
  dynamodb: {
    ...BACKOFF,
    errors: [
      'DynamoDB.ProvisionedThroughputExceededException',
      'DynamoDB.RequestLimitExceeded',
      'DynamoDB.ThrottlingException',
      'DynamoDB.InternalServerErrorException',
    ],
  },
  /**
   * Alerts, metrics, events and the lock holder's status. Their integrations name throttling and
   * service errors inconsistently (`SNS.ThrottledException`, `EventBridge.FailedEntry`,
   * `Sfn.SfnException`...), so any task failure is retried: each call is safe to repeat, at the
   * cost of a rare duplicate alert or event, which their consumers tolerate.
   */
  notification: { ...BACKOFF, maxAttempts: 4, errors: ['States.TaskFailed'] },
} as const satisfies Readonly<Record<string, RetryPolicy>>;

/**
 * An Athena statement that ran and failed, for instance by losing an Iceberg commit race, tried
 * again as a new query: without a ClientRequestToken each attempt is a new query, and a failed
 * statement committed nothing. Few, widely spaced attempts: a statement that keeps failing is
 * alerted, not hammered.
 */
export const NEW_QUERY_RETRY = { errors: ['States.TaskFailed'], intervalSeconds: 30, backoffRate: 2, maxAttempts: 2 } as const;
