/**
 * What a local Task handler throws to fail its state the way the real integration would.
 * `aws-local-stepfunctions` matches `Retry`/`Catch` `ErrorEquals` entries against the thrown
 * error's `name` exactly (plus `States.ALL`, and `States.TaskFailed` for anything but a timeout),
 * and a catcher receives `{ Error: name, Cause: message }`.
 */
export class TaskError extends Error {
  /** @param errorName what `ErrorEquals` matches, e.g. `Lambda.ServiceException`, `Athena.TooManyRequestsException`. */
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}
