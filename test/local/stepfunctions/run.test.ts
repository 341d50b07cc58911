import { beforeAll, describe, expect, it } from 'vitest';
import { stageStateMachines } from '../../../lib/cli/offline-environment.ts';
import { type SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import { runStateMachine, type StateEvent } from '../../../lib/local/stepfunctions/run.ts';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import { MissingTaskHandlersError, type TaskHandler, type TaskHandlers } from '../../../lib/local/stepfunctions/task-handlers.ts';
import { fixtureStage } from './fixture-stage.ts';

const INPUT = { file: 'landing/sales/orders/a.csv', files: ['a.csv', 'b.csv'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Recorded {
  readonly handlers: TaskHandlers;
  /** Each handler's inputs, in call order. */
  readonly calls: Record<string, JsonValue[]>;
}

/** Handlers returning the real integrations' response shapes; `overrides` replace some of them. */
function pipelineHandlers(overrides: Record<string, TaskHandler> = {}): Recorded {
  const calls: Record<string, JsonValue[]> = {};
  const responses: Record<string, TaskHandler> = {
    Validate: async () => ({ StatusCode: 200, Payload: { passed: true, rowsPassed: 3 } }),
    Load: async () => ({ QueryExecution: { QueryExecutionId: 'query-1', Status: { State: 'SUCCEEDED' } } }),
    Results: async () => ({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'failures' }] }, { Data: [{ VarCharValue: '0' }] }] } }),
    PerFile: async (file) => ({ file, rows: 1 }),
    Announce: async () => ({ Entries: [{ EventId: 'event-1' }], FailedEntryCount: 0 }),
    Alert: async () => ({ MessageId: 'message-1' }),
    ...overrides,
  };
  const handlers = Object.fromEntries(
    Object.entries(responses).map(([name, respond]): [string, TaskHandler] => [
      name,
      async (input) => {
        (calls[name] ??= []).push(input);
        return respond(input);
      },
    ]),
  );
  return { handlers, calls };
}

/** A handler whose promise the test settles, standing in for a task that is still running. */
function pendingHandler(): { handler: TaskHandler; release: () => void } {
  let release = (): void => undefined;
  const pending = new Promise<unknown>((resolve) => {
    release = () => resolve({});
  });
  return { handler: () => pending, release };
}

describe('runStateMachine on synthesized definitions', () => {
  let machines: SynthesizedStateMachine[];
  const definition = (name: string) => {
    const found = machines.find((machine) => machine.name === name);
    if (found === undefined) throw new Error(`no state machine ${name}`);
    return found.definition;
  };

  beforeAll(() => {
    machines = stageStateMachines(fixtureStage().stage);
  });

  it('runs the happy path to Succeed, passing each integration response on', async () => {
    const { handlers, calls } = pipelineHandlers();
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers, executionName: 'run-1' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.error).toBeUndefined();
    expect(result.visitedStates).toEqual(['Prepare', 'Validate', 'Passed?', 'Load', 'Results', 'EachFile', 'PerFile', 'PerFile', 'Announce', 'Done']);
    expect(calls['Load']?.[0]).toMatchObject({ WorkGroup: 'dev-wg', QueryString: expect.stringContaining('MERGE INTO') });
    expect(calls['Results']).toEqual([{ QueryExecutionId: 'query-1' }]);
    expect(calls['Announce']?.[0]).toMatchObject({ Entries: [{ Detail: { file: INPUT.file }, DetailType: 'DatasetLoaded' }] });
    expect(calls['Alert']).toBeUndefined();
    expect(result.output).toMatchObject({
      prepared: { execution: 'run-1' },
      validation: { Payload: { passed: true } },
      perFile: [{ file: 'a.csv', rows: 1 }, { file: 'b.csv', rows: 1 }],
    });
  });

  it('leaves the definition as CDK synthesized it (the interpreter fills in defaults on its own copy)', async () => {
    const synthesized = definition('dev-pipeline');
    const before = structuredClone(synthesized);
    await runStateMachine({ definition: synthesized, input: INPUT, handlers: pipelineHandlers().handlers });
    expect(synthesized).toStrictEqual(before);
  });

  it('renders States.Format with escaped braces and States.UUID()', async () => {
    const { handlers } = pipelineHandlers();
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers });
    const prepared = (result.output as { prepared: { message: string; token: string } }).prepared;
    expect(prepared.message).toBe(`{"file": "${INPUT.file}"}`);
    expect(prepared.token).toMatch(UUID);
  });

  it('retries a named task error and succeeds on the third attempt', async () => {
    let attempts = 0;
    const { handlers, calls } = pipelineHandlers({
      Validate: async () => {
        attempts += 1;
        if (attempts < 3) throw new TaskError('Lambda.ServiceException', `attempt ${attempts} failed`);
        return { Payload: { passed: true } };
      },
    });
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers, retryPauseMs: 0 });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls['Validate']).toHaveLength(3);
    const retries = result.events.filter((event) => event.kind === 'retried' && event.state === 'Validate');
    expect(retries.map((event) => event.kind === 'retried' && event.attempt)).toEqual([1, 2]);
    expect(result.visitedStates.filter((state) => state === 'Validate')).toHaveLength(1);
  });

  it('catches a task error the Retry does not match into the alert path', async () => {
    const { handlers, calls } = pipelineHandlers({
      Load: async () => {
        throw new TaskError('Athena.InvalidRequestException', 'MERGE failed');
      },
    });
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers, retryPauseMs: 0 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'PipelineFailed', cause: 'see the alert' });
    expect(result.visitedStates).toEqual(['Prepare', 'Validate', 'Passed?', 'Load', 'Alert', 'Failed']);
    expect(calls['Load']).toHaveLength(1);
    expect(calls['Alert']?.[0]).toMatchObject({ Message: { error: { Error: 'Athena.InvalidRequestException', Cause: 'MERGE failed' } } });
  });

  it('gives up after the Retry attempts and then catches', async () => {
    const { handlers, calls } = pipelineHandlers({
      Load: async () => {
        throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
      },
    });
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers, retryPauseMs: 0 });
    expect(result.status).toBe('FAILED');
    expect(calls['Load']).toHaveLength(3);
    expect(result.events).toContainEqual(expect.objectContaining({ kind: 'caught', state: 'Load', next: 'Alert' }));
  });

  it('takes the Choice default when validation did not pass', async () => {
    const { handlers } = pipelineHandlers({ Validate: async () => ({ Payload: { passed: false } }) });
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers });
    expect(result.status).toBe('FAILED');
    expect(result.visitedStates).toEqual(['Prepare', 'Validate', 'Passed?', 'Alert', 'Failed']);
  });

  it('fails a task whose handler throws something that is not an Error with States.TaskFailed', async () => {
    const { handlers, calls } = pipelineHandlers({
      Validate: async () => {
        throw 'validator crashed';
      },
    });
    const result = await runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers });
    expect(result.status).toBe('FAILED');
    expect(calls['Alert']?.[0]).toMatchObject({ Message: { error: { Error: 'States.TaskFailed', Cause: 'validator crashed' } } });
  });

  it('fails fast, before any handler runs, when a Task has no handler, nested ones included', async () => {
    const { handlers, calls } = pipelineHandlers();
    const { PerFile: _perFile, Alert: _alert, ...incomplete } = handlers;
    const run = runStateMachine({ definition: definition('dev-pipeline'), input: INPUT, handlers: incomplete });
    await expect(run).rejects.toThrow(MissingTaskHandlersError);
    await expect(run).rejects.toThrow(
      /no local handler for Task states 'Alert' \(arn:aws:states:::sns:publish\), 'PerFile' inside EachFile \(arn:aws:lambda:/,
    );
    expect(calls).toEqual({});
  });

  it('reports each state entered and exited to onEvent as it happens', async () => {
    const { handlers } = pipelineHandlers();
    const seen: StateEvent[] = [];
    const result = await runStateMachine({
      definition: definition('dev-pipeline'),
      input: INPUT,
      handlers,
      onEvent: (event) => seen.push(event),
    });
    expect(seen).toEqual(result.events);
    expect(seen[0]).toMatchObject({ kind: 'entered', state: 'Prepare', stateType: 'Pass', input: INPUT });
    expect(seen.at(-1)).toMatchObject({ kind: 'exited', state: 'Done', stateType: 'Succeed' });
    const perFile = seen.filter((event) => event.state === 'PerFile' && event.kind === 'entered');
    expect(perFile.map((event) => event.iteration).sort()).toEqual([0, 1]);
  });

  it('finishes the run and then rethrows when onEvent throws', async () => {
    const { handlers, calls } = pipelineHandlers();
    const run = runStateMachine({
      definition: definition('dev-pipeline'),
      input: INPUT,
      handlers,
      onEvent: (event) => {
        if (event.state === 'Validate') throw new Error('printer broke');
      },
    });
    await expect(run).rejects.toThrow('printer broke');
    expect(calls['Announce']).toHaveLength(1);
  });

  it('respects a Task TimeoutSeconds, which a Catch on States.Timeout handles', async () => {
    const slow = pendingHandler();
    try {
      const result = await runStateMachine({ definition: definition('dev-slow'), input: {}, handlers: { CallSlow: slow.handler } });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.visitedStates).toEqual(['CallSlow', 'GaveUp']);
      expect(result.output).toMatchObject({ timeout: { Error: 'States.Timeout' } });
    } finally {
      slow.release();
    }
  });

  it('times out an execution at the definition TimeoutSeconds', async () => {
    const hang = pendingHandler();
    try {
      const result = await runStateMachine({ definition: definition('dev-bounded'), input: {}, handlers: { Hang: hang.handler } });
      expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(result.visitedStates).toEqual(['Hang']);
    } finally {
      hang.release();
    }
  });

  it('aborts an execution when its signal aborts', async () => {
    const hang = pendingHandler();
    const controller = new AbortController();
    try {
      const result = await runStateMachine({
        definition: definition('dev-slow'),
        input: {},
        handlers: { CallSlow: hang.handler },
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind === 'entered') controller.abort();
        },
      });
      expect(result.status).toBe('ABORTED');
      expect(result.output).toBeUndefined();
    } finally {
      hang.release();
    }
  });

  it('fills $$.Execution and $$.StateMachine from the state machine ARN', async () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:raw';
    const result = await runStateMachine({
      definition: {
        StartAt: 'Context',
        States: {
          Context: {
            Type: 'Pass',
            Parameters: { 'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name', 'machine.$': '$$.StateMachine.Name' },
            End: true,
          },
        },
      },
      input: {},
      handlers: {},
      stateMachineArn: arn,
      executionName: 'run-7',
    });
    expect(result.output).toEqual({ id: 'arn:aws:states:eu-west-1:123456789012:execution:raw:run-7', name: 'run-7', machine: 'raw' });
  });

  it('gives $$.State.EnteredTime as the time each state is entered, as Step Functions does', async () => {
    const before = new Date().toISOString();
    const result = await runStateMachine({
      definition: {
        StartAt: 'First',
        States: {
          First: { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, ResultPath: '$.first', Next: 'Pause' },
          Pause: { Type: 'Wait', Seconds: 3600, Next: 'Second' },
          Second: { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, ResultPath: '$.second', End: true },
        },
      },
      input: {},
      handlers: {},
      waitPauseMs: 20,
    });
    const { first, second } = result.output as { first: { at: string }; second: { at: string } };
    expect(first.at >= before).toBe(true);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(15);
    expect(second.at <= new Date().toISOString()).toBe(true);
  });
});

describe('runStateMachine wait override', () => {
  it('shortens every Wait, nested ones included, so an hour-long wait completes at once', async () => {
    const hour = { Type: 'Wait', Seconds: 3600 } as const;
    const definition: AslDefinition = {
      StartAt: 'WaitForLock',
      States: {
        WaitForLock: { ...hour, Next: 'EachItem' },
        EachItem: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'WaitPerItem',
            States: { WaitPerItem: { ...hour, End: true } },
          },
          End: true,
        },
      },
    };
    const result = await runStateMachine({ definition, input: { items: [1, 2] }, handlers: {}, waitPauseMs: 0 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates.filter((state) => state === 'WaitPerItem')).toHaveLength(2);
  });

  it("states the waits it used in a failure's cause, which the definition words for its own waits", async () => {
    const definition: AslDefinition = {
      StartAt: 'WaitForLock',
      States: {
        WaitForLock: { Type: 'Wait', Seconds: 30, Next: 'WaitAgain' },
        WaitAgain: { Type: 'Wait', Seconds: 30, Next: 'LockNotAcquired' },
        LockNotAcquired: { Type: 'Fail', Error: 'Pipeline.LockNotAcquired', Cause: 'Another execution kept loading through 2 waits of 30 s' },
      },
    };
    const result = await runStateMachine({ definition, input: {}, handlers: {}, waitPauseMs: 5 });
    expect(result.cause).toBe("Another execution kept loading through 2 waits of 30 s (offline, 2 waits of 5 ms each, not the definition's)");
  });
});
