/**
 * A Task state without a local handler makes `aws-local-stepfunctions` invoke the resource in AWS.
 * Offline there is no account, so that would fail late with a credentials error (or, worse, be
 * caught by the definition's `Catch` and look like a pipeline failure). Checking every Task up
 * front, nested ones included, turns it into one clear error before anything runs.
 */
import type { JsonValue } from './json.ts';
import type { DefinitionState } from './states.ts';

/** Stands in for a Task's integration: gets the state's effective input, returns the integration's response. */
export type TaskHandler = (input: JsonValue) => Promise<unknown>;

export type TaskHandlers = Readonly<Record<string, TaskHandler>>;

export class MissingTaskHandlersError extends Error {
  constructor(readonly states: readonly DefinitionState[]) {
    const listed = states
      .map((state) => {
        const inside = state.enclosing.length === 0 ? '' : ` inside ${state.enclosing.join(' > ')}`;
        return `'${state.name}'${inside} (${state.resource ?? 'no resource'})`;
      })
      .join(', ');
    super(`no local handler for Task state${states.length === 1 ? '' : 's'} ${listed}: offline every Task needs one`);
    this.name = 'MissingTaskHandlersError';
  }
}

export function assertEveryTaskHandled(states: readonly DefinitionState[], handlers: TaskHandlers): void {
  const missing = states.filter((state) => state.type === 'Task' && typeof handlers[state.name] !== 'function');
  if (missing.length > 0) throw new MissingTaskHandlersError(missing);
}
