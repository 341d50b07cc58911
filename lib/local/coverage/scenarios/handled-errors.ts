/**
 * The error a fault injection throws into a Task so that a chosen retrier or catcher handles it and
 * no earlier one does (ASL tries them in order: `firstHandlerOf`). Derived from the definition, so a
 * retrier or catcher added to a state is exercised without being named anywhere else.
 */
import type { AslState } from '../../stepfunctions/states.ts';
import { firstHandlerOf } from '../error-equals.ts';

/** A service failing in a way no retrier names: matched only by `States.TaskFailed` and `States.ALL`. */
const UNNAMED_SERVICE_ERROR = 'Injected.ServiceFailure';
const WILDCARDS = new Set(['States.ALL', 'States.TaskFailed']);

interface ErrorHandler {
  readonly ErrorEquals: readonly string[];
  readonly MaxAttempts?: number;
}

function retriersOf(state: AslState): readonly ErrorHandler[] {
  return 'Retry' in state ? (state.Retry ?? []) : [];
}

function catchersOf(state: AslState): readonly ErrorHandler[] {
  return 'Catch' in state ? (state.Catch ?? []) : [];
}

/**
 * The handler's own error names first (the service failing as the definition expects), then an
 * unnamed one. Not `States.Timeout`: only a Task that really outlived its `TimeoutSeconds` raises it
 * (the interpreter retries one a handler throws under `States.TaskFailed`, as any other error).
 */
function candidates(handler: ErrorHandler): string[] {
  return [...handler.ErrorEquals.filter((name) => !WILDCARDS.has(name)), UNNAMED_SERVICE_ERROR];
}

/** A state's retriers that can retry, by their 1-based number, each with an error it is the first to handle. */
export function retrierErrors(state: AslState): { readonly retrier: number; readonly error: string }[] {
  const retriers = retriersOf(state);
  return retriers.flatMap((retrier, index) => {
    if (retrier.MaxAttempts === 0) return [];
    const error = candidates(retrier).find((name) => firstHandlerOf(retriers, name, state.Type) === index + 1);
    if (error === undefined) throw new Error(`Retry ${index + 1} (${retrier.ErrorEquals.join(', ')}): an earlier retrier handles every error it names`);
    return [{ retrier: index + 1, error }];
  });
}

/**
 * An error the 1-based `catcher` is the first to catch, preferably one no retrier retries (else the
 * fault must last until the retries are exhausted).
 */
export function catcherError(state: AslState, catcher: number): string {
  const catchers = catchersOf(state);
  const retriers = retriersOf(state);
  const caught = candidates(catchers[catcher - 1]!).filter((name) => firstHandlerOf(catchers, name, state.Type) === catcher);
  const retried = (name: string): boolean => {
    const retrier = firstHandlerOf(retriers, name, state.Type);
    return retrier !== undefined && retriers[retrier - 1]!.MaxAttempts !== 0;
  };
  const error = caught.find((name) => !retried(name)) ?? caught[0];
  if (error === undefined) throw new Error(`Catch ${catcher} (${catchers[catcher - 1]!.ErrorEquals.join(', ')}): an earlier catcher catches every error it names`);
  return error;
}

