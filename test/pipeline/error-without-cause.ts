/**
 * An error whose catcher output has no `Cause`, as AWS's has none for an error that carries none
 * (`Cause` is optional there). The interpreter copies the thrown error's message into `Cause`, so
 * the message is taken away.
 */
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';

export function errorWithoutCause(name: string): TaskError {
  const error = new TaskError(name, '');
  Object.defineProperty(error, 'message', { value: undefined });
  return error;
}
