import { describe, expect, it } from 'vitest';
import { firstHandlerOf } from '../../../lib/local/coverage/error-equals.ts';

describe('firstHandlerOf', () => {
  const handlers = [{ ErrorEquals: ['Lock.Lost'] }, { ErrorEquals: ['States.TaskFailed'] }, { ErrorEquals: ['States.ALL'] }];

  it('takes the first handler naming the error, States.TaskFailed covering task errors but a timeout', () => {
    expect(firstHandlerOf(handlers, 'Lock.Lost', 'Task')).toBe(1);
    expect(firstHandlerOf(handlers, 'Athena.InvalidRequestException', 'Task')).toBe(2);
    expect(firstHandlerOf(handlers, 'States.Timeout', 'Task')).toBe(3);
    expect(firstHandlerOf(handlers, 'States.BranchFailed', 'Parallel')).toBe(3);
  });

  it('lets no wildcard handle an error Step Functions never lets a state handle', () => {
    expect(firstHandlerOf(handlers, 'States.Runtime', 'Task')).toBeUndefined();
    expect(firstHandlerOf([{ ErrorEquals: ['States.DataLimitExceeded'] }], 'States.DataLimitExceeded', 'Task')).toBe(1);
  });
});
