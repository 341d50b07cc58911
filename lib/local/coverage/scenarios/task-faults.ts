/**
 * Faults injected into a real execution through the runtime's `wrapTask` seam: the Task's own
 * handler still answers every call the fault lets through, so the run goes on as it would with the
 * service failing that way.
 */
import { listStates, type AslDefinition } from '../../stepfunctions/states.ts';
import { TaskError } from '../../stepfunctions/task-error.ts';
import type { TaskHandler } from '../../stepfunctions/task-handlers.ts';
import { retrierErrors } from './handled-errors.ts';

/** What `ExecutionOptions.wrapTask` takes: called once per Task state and execution. */
export type TaskWrapper = (state: string, handler: TaskHandler) => TaskHandler;

/** The first wrapper sees each call first: its fault is thrown before the later ones (and the handler) are reached. */
export function composeFaults(...wrappers: readonly TaskWrapper[]): TaskWrapper {
  return (state, handler) => wrappers.reduceRight((wrapped, wrap) => wrap(state, wrapped), handler);
}

function injected(error: string, state: string): TaskError {
  return new TaskError(error, `fault injected into ${state} to cover its handling of ${error}`);
}

/**
 * Services that fail once per retrier of each Task, in the retriers' order, each time with an error
 * that retrier is the first to handle, then answer: every retry transition is taken, and the run
 * ends as it would without faults. Counted per execution (a wrapper is asked once per execution).
 */
export function flakyServices(definition: AslDefinition): TaskWrapper {
  const errors = new Map(listStates(definition).map((state) => [state.name, retrierErrors(state.definition).map(({ error }) => error)]));
  return (state, handler) => {
    const pending = [...(errors.get(state) ?? [])];
    return async (input) => {
      const error = pending.shift();
      if (error !== undefined) throw injected(error, state);
      return handler(input);
    };
  };
}

/** Every call of the Task `state` fails with `error`. */
export function failingWith(stateName: string, error: string): TaskWrapper {
  return (name, handler) => (name !== stateName ? handler : async () => Promise.reject(injected(error, stateName)));
}

/** The first call of the Task `state` that reaches this wrapper is answered by its service, then fails with `error`: the answer was lost (the Task timed out after the service acted). */
export function answerLost(stateName: string, error: string): TaskWrapper {
  let lost = false;
  return (name, handler) =>
    name !== stateName
      ? handler
      : async (input) => {
          const answer = await handler(input);
          if (lost) return answer;
          lost = true;
          throw injected(error, stateName);
        };
}

/** Calls `before` ahead of the first call of `state` that reaches this wrapper (another party changing the world meanwhile). */
export function onFirstCall(stateName: string, before: () => Promise<void> | void): TaskWrapper {
  let done = false;
  return (name, handler) =>
    name !== stateName
      ? handler
      : async (input) => {
          if (!done) {
            done = true;
            await before();
          }
          return handler(input);
        };
}
