/**
 * Runs a state machine definition (as CDK synthesized it) in `aws-local-stepfunctions`, every Task
 * replaced by a local handler, and reports what happened the way the Step Functions console would:
 * a status, the output or error, and the states entered in order.
 */
import './polyfill.ts';
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import type { JsonValue } from './json.ts';
import { type AslDefinition, listStates } from './states.ts';
import { TaskError } from './task-error.ts';
import { assertEveryTaskHandled, type TaskHandler, type TaskHandlers } from './task-handlers.ts';

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface StateEventBase {
  readonly state: string;
  readonly stateType: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /** The Map iteration index, for states inside a Map. */
  readonly iteration?: number;
}

export type StateEvent =
  | (StateEventBase & { readonly kind: 'entered'; readonly input: JsonValue })
  | (StateEventBase & { readonly kind: 'exited'; readonly output: JsonValue })
  | (StateEventBase & { readonly kind: 'failed'; readonly error: string; readonly cause: string })
  | (StateEventBase & { readonly kind: 'retried'; readonly attempt: number })
  | (StateEventBase & { readonly kind: 'caught'; readonly next: string });

export interface RunStateMachineOptions {
  readonly definition: AslDefinition;
  readonly input: JsonValue;
  /** One handler per Task state name, nested states included; a missing one fails before the run. */
  readonly handlers: TaskHandlers;
  /** Called as each state is entered, exited, fails, is retried or caught (progress for the CLI). */
  readonly onEvent?: (event: StateEvent) => void;
  /**
   * Pause before every retry, in milliseconds, instead of the definition's backoff: offline there
   * is no service to wait for, and Step Functions intervals are whole seconds.
   * @default the definition's `IntervalSeconds`, `BackoffRate`, `MaxDelaySeconds` and `JitterStrategy`
   */
  readonly retryPauseMs?: number;
  /**
   * How long every Wait state waits, in milliseconds, instead of the definition's duration:
   * offline a Wait only lets another local execution progress (a held lock).
   * @default the definition's
   */
  readonly waitPauseMs?: number;
  /** `$$.Execution.Name`. @default a random UUID */
  readonly executionName?: string;
  /** `$$.StateMachine.Id`, from which `$$.Execution.Id` is derived. @default neither is set */
  readonly stateMachineArn?: string;
  /** Aborting it ends the execution with status `ABORTED`. */
  readonly signal?: AbortSignal;
}

export interface ExecutionResult {
  readonly status: ExecutionStatus;
  /** The execution's output, when it succeeded. */
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** Every state entered, in order, with repeats (loops, Map iterations). */
  readonly visitedStates: readonly string[];
  readonly events: readonly StateEvent[];
}

type Execution = ReturnType<StateMachine['run']>;
type LibraryEvent = Execution['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toStateEvent(event: LibraryEvent): StateEvent | undefined {
  if (!('state' in event)) return undefined;
  const base: StateEventBase = {
    state: event.state.name,
    stateType: event.state.type,
    at: event.timestamp,
    ...('index' in event && event.index !== undefined ? { iteration: event.index } : {}),
  };
  switch (event.type) {
    case 'StateEntered':
      return { ...base, kind: 'entered', input: event.state.input };
    case 'StateExited':
      return { ...base, kind: 'exited', output: event.state.output ?? null };
    case 'StateFailed':
      return { ...base, kind: 'failed', error: event.Error, cause: text(event.Cause) };
    case 'StateRetried':
      return { ...base, kind: 'retried', attempt: event.retry.attempt };
    case 'StateCaught':
      return { ...base, kind: 'caught', next: event.catch.catcher.Next };
  }
}

/**
 * A real integration returns JSON, so results go through JSON (`undefined` becomes `null`, as a
 * Lambda returning nothing does), and anything thrown that is not an Error fails the Task with
 * `States.TaskFailed` instead of breaking the interpreter's error matching.
 */
function asIntegration(handler: TaskHandler): (input: JsonValue) => Promise<JsonValue> {
  return async (input) => {
    try {
      return JSON.parse(JSON.stringify((await handler(input)) ?? null)) as JsonValue;
    } catch (thrown) {
      throw thrown instanceof Error ? thrown : new TaskError('States.TaskFailed', text(thrown));
    }
  };
}

/**
 * `$$.State.EnteredTime`, which the interpreter does not set: read when a state's paths are
 * evaluated, as it enters, so a definition stamping events with it runs offline unchanged.
 */
const STATE_CONTEXT = {
  get EnteredTime(): string {
    return new Date().toISOString();
  },
};

function executionContext(executionName: string, stateMachineArn: string | undefined): Record<string, unknown> {
  if (stateMachineArn === undefined) return { Execution: { Name: executionName }, State: STATE_CONTEXT };
  return {
    Execution: { Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`, Name: executionName },
    StateMachine: { Id: stateMachineArn, Name: stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1) },
    State: STATE_CONTEXT,
  };
}

/**
 * Constructing a StateMachine validates the definition with asl-validator, which costs about
 * 250 ms each time; executions are independent, so every run of one definition shares it. The
 * library writes defaults into the definition it is given (`QueryLanguage` on every state), so it
 * gets a copy: the synthesized definition stays what CDK wrote, comparable with another synthesis.
 */
const validatedMachines = new WeakMap<AslDefinition, StateMachine>();

function validatedMachine(definition: AslDefinition): StateMachine {
  let machine = validatedMachines.get(definition);
  if (machine === undefined) {
    machine = new StateMachine(structuredClone(definition));
    validatedMachines.set(definition, machine);
  }
  return machine;
}

type Outcome = Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause'>;

async function outcomeOf(result: Promise<JsonValue>): Promise<Outcome> {
  try {
    return { status: 'SUCCEEDED', output: await result };
  } catch (error) {
    if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT', error: 'States.Timeout', cause: error.message };
    if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
    if (error instanceof ExecutionError && error.cause instanceof Error) {
      return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
    }
    throw error;
  }
}

export async function runStateMachine(options: RunStateMachineOptions): Promise<ExecutionResult> {
  const { definition, handlers, retryPauseMs, waitPauseMs, signal } = options;
  const states = listStates(definition);
  assertEveryTaskHandled(states, handlers);
  const execution = validatedMachine(definition).run(options.input, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(
        Object.entries(handlers).map(([name, handler]) => [name, asIntegration(handler)]),
      ),
      ...(retryPauseMs === undefined
        ? {}
        : { retryIntervalOverrides: Object.fromEntries(states.filter((s) => s.hasRetry).map((s) => [s.name, retryPauseMs])) }),
      ...(waitPauseMs === undefined
        ? {}
        : { waitTimeOverrides: Object.fromEntries(states.filter((s) => s.type === 'Wait').map((s) => [s.name, waitPauseMs])) }),
    },
    context: executionContext(options.executionName ?? randomUUID(), options.stateMachineArn),
  });
  if (signal?.aborted === true) execution.abort();
  signal?.addEventListener('abort', execution.abort, { once: true });

  const events: StateEvent[] = [];
  // A throwing callback must not stop the log (the result would miss events), so it is reported after the run.
  let callbackError: { readonly thrown: unknown } | undefined;
  const logging = (async () => {
    for await (const logged of execution.eventLogs) {
      const event = toStateEvent(logged);
      if (event === undefined) continue;
      events.push(event);
      try {
        options.onEvent?.(event);
      } catch (thrown) {
        callbackError ??= { thrown };
      }
    }
  })();
  try {
    const outcome = await outcomeOf(execution.result);
    await logging;
    if (callbackError !== undefined) throw callbackError.thrown;
    const waits = events.filter((event) => event.kind === 'entered' && event.stateType === 'Wait').length;
    return {
      ...outcome,
      // A cause written for AWS states the definition's waits ("120 waits of 30 s"): say what was waited here.
      ...(outcome.cause === undefined || waitPauseMs === undefined || waits === 0
        ? {}
        : { cause: `${outcome.cause} (offline, ${waits} wait${waits === 1 ? '' : 's'} of ${waitPauseMs} ms each, not the definition's)` }),
      visitedStates: events.filter((event) => event.kind === 'entered').map((event) => event.state),
      events,
    };
  } finally {
    signal?.removeEventListener('abort', execution.abort);
  }
}
