import { describe, expect, it } from 'vitest';
import { catcherError, retrierErrors } from '../../../lib/local/coverage/scenarios/handled-errors.ts';
import type { AslState } from '../../../lib/local/stepfunctions/states.ts';

/** A Task shaped like the lock's DescribeLockHolder and the build's Athena steps. */
const task = (retry: unknown[], katch: unknown[]): AslState => ({ Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true, Retry: retry, Catch: katch }) as unknown as AslState;

describe('the errors a fault injection throws', () => {
  it('gives each retrier that can retry an error no earlier retrier handles', () => {
    const state = task(
      [{ ErrorEquals: ['Sfn.ExecutionDoesNotExistException'], MaxAttempts: 0 }, { ErrorEquals: ['Athena.TooManyRequestsException'] }, { ErrorEquals: ['States.TaskFailed'] }],
      [],
    );
    expect(retrierErrors(state)).toEqual([
      { retrier: 2, error: 'Athena.TooManyRequestsException' },
      { retrier: 3, error: 'Injected.ServiceFailure' },
    ]);
  });

  it("refuses a retrier whose every error an earlier one handles", () => {
    expect(() => retrierErrors(task([{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Lambda.ServiceException'] }], []))).toThrow(/Retry 2/);
  });

  it('gives a catcher an error no earlier catcher catches, one no retrier retries when there is one', () => {
    const state = task(
      [{ ErrorEquals: ['DynamoDB.ThrottlingException'] }],
      [
        { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Wait' },
        { ErrorEquals: ['States.ALL'], Next: 'Alert' },
      ],
    );
    expect(catcherError(state, 1)).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(catcherError(state, 2)).toBe('Injected.ServiceFailure');
  });

  it('falls back to an error the retriers retry until they give up when every error is retried', () => {
    const state = task([{ ErrorEquals: ['States.TaskFailed'] }], [{ ErrorEquals: ['States.ALL'], Next: 'Alert' }]);
    expect(catcherError(state, 1)).toBe('Injected.ServiceFailure');
  });
});
