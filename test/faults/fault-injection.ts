/**
 * Ways to make a service misbehave inside a real offline run: a wrapper over Task handlers (the
 * runtime's `wrapTask` seam) for Athena and Lambda faults, and a middleware on the runtime's S3
 * client for S3 faults. Each injects the error the real service would return, so the
 * definition's own Retry and Catch decide what happens, as in AWS.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ExecutionOptions, LocalPipelineRuntime } from '../../lib/local/runtime/pipeline-runtime.ts';
import { integrationOf, type Integration } from '../../lib/local/runtime/integrations.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { TaskError } from '../../lib/local/stepfunctions/task-error.ts';

export type TaskWrapper = NonNullable<ExecutionOptions['wrapTask']>;

/** Names of the machine's Task states that call `integration`, nested ones included. */
export function tasksCalling(machine: SynthesizedStateMachine, integration: Integration): Set<string> {
  return new Set(
    listStates(machine.definition)
      .filter((state) => state.type === 'Task' && state.resource !== undefined && integrationOf(state.resource) === integration)
      .map((state) => state.name),
  );
}

/**
 * Fails the first attempt of every call of `states` with `error`: an attempt is first when its
 * state has not yet been given that input (a Retry re-sends the same input; a Map iteration or a
 * renewed request token is a new call).
 */
export function failFirstAttempts(states: ReadonlySet<string>, error: () => Error): TaskWrapper {
  const seen = new Set<string>();
  return (state, handler) =>
    !states.has(state)
      ? handler
      : async (input) => {
          const call = `${state}\n${JSON.stringify(input)}`;
          if (!seen.has(call)) {
            seen.add(call);
            throw error();
          }
          return handler(input);
        };
}

export const athenaThrottle = (): TaskError => new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');

interface S3Call {
  readonly command: string;
  readonly bucket: string;
  readonly key: string;
}

/**
 * Makes the runtime's S3 client fail the calls `fails` picks with the error it returns, until the
 * returned function is called. `insideRetries` places the failure under the SDK's own retry
 * middleware, where a transient error is retried as S3's would be; otherwise the call fails
 * whatever the SDK's retry strategy, as in an outage.
 */
export function failS3Calls(runtime: LocalPipelineRuntime, fails: (call: S3Call) => Error | undefined, insideRetries = false): () => void {
  const client: S3Client = runtime.s3.client;
  const name = `inject-s3-fault-${Math.random().toString(36).slice(2)}`;
  const failing = <Args extends { input: object }, Result>(
    next: (args: Args) => Promise<Result>,
    context: { commandName?: string },
  ) => async (args: Args): Promise<Result> => {
    const input = args.input as { Bucket?: string; Key?: string };
    const error = fails({ command: context.commandName ?? '', bucket: input.Bucket ?? '', key: input.Key ?? '' });
    if (error !== undefined) throw error;
    return next(args);
  };
  if (insideRetries) client.middlewareStack.add(failing, { step: 'finalizeRequest', priority: 'low', name });
  else client.middlewareStack.add(failing, { step: 'initialize', priority: 'high', name });
  return () => client.middlewareStack.remove(name);
}

/** S3's 503 Slow Down, which the SDK's retry strategy treats as transient. */
export function slowDown(): Error {
  return Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } });
}

/** What a query that ran and failed looks like to Athena's `.sync` integration. */
export function failedQuery(reason: string): TaskError {
  return new TaskError('States.TaskFailed', JSON.stringify({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: reason } } }));
}
