/**
 * Which retrier retried, or which catcher caught, an error: the first whose `ErrorEquals` names it
 * (Amazon States Language, "Retrying after error" and "Fallback states"). `States.ALL` matches any
 * error but the two Step Functions never lets a state handle (`States.Runtime`,
 * `States.DataLimitExceeded`); `States.TaskFailed` matches those a Task raised except
 * `States.Timeout`, as in `aws-local-stepfunctions`. Several catchers may share a `Next`, so the
 * state entered next cannot say which caught.
 */
const UNHANDLED = new Set(['States.Runtime', 'States.DataLimitExceeded']);

function covers(name: string, error: string, stateType: string): boolean {
  if (name === error) return true;
  if (UNHANDLED.has(error)) return false;
  if (name === 'States.ALL') return true;
  return name === 'States.TaskFailed' && stateType === 'Task' && error !== 'States.Timeout';
}

/** The 1-based number of the first handler whose `ErrorEquals` covers `error`, or `undefined`. */
export function firstHandlerOf(handlers: readonly { readonly ErrorEquals: readonly string[] }[], error: string, stateType: string): number | undefined {
  const index = handlers.findIndex((handler) => handler.ErrorEquals.some((name) => covers(name, error, stateType)));
  return index < 0 ? undefined : index + 1;
}
