/**
 * Coverage of states and transitions measured on real executions: small hand-written definitions
 * run by the real interpreter (`runStateMachine`), their events replayed against the definition.
 */
import { describe, expect, it } from 'vitest';
import { executionCoverage } from '../../../lib/local/coverage/execution-coverage.ts';
import { StateCoverage } from '../../../lib/local/coverage/state-coverage.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import { type ExecutionResult, runStateMachine } from '../../../lib/local/stepfunctions/run.ts';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import type { TaskHandlers } from '../../../lib/local/stepfunctions/task-handlers.ts';

const TASK = 'arn:aws:states:::lambda:invoke';

function run(definition: AslDefinition, input: JsonValue, handlers: TaskHandlers = {}): Promise<ExecutionResult> {
  return runStateMachine({ definition, input, handlers, retryPauseMs: 0 });
}

/** Taken and missing transition ids of one machine after the given executions. */
function measured(definition: AslDefinition, executions: readonly ExecutionResult[]) {
  const coverage = new StateCoverage();
  coverage.addMachine({ name: 'm', definition });
  for (const execution of executions) coverage.record({ name: 'm', definition }, execution);
  const [machine] = coverage.report().machines;
  return machine!;
}

function taken(definition: AslDefinition, execution: ExecutionResult): string[] {
  return [...executionCoverage(definition, execution).taken].sort();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('a Choice with two rules to the same state and a Default', () => {
  const definition: AslDefinition = {
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.kind', StringEquals: 'big', Next: 'Large' },
          { And: [{ Variable: '$.size', IsPresent: true }, { Variable: '$.size', NumericGreaterThanEquals: 100 }], Next: 'Large' },
        ],
        Default: 'Small',
      },
      Large: { Type: 'Pass', End: true },
      Small: { Type: 'Pass', End: true },
    },
  };

  it('tells which rule matched although both lead to the same state', async () => {
    expect(taken(definition, await run(definition, { kind: 'huge', size: 150 }))).toEqual(['Large (End)', 'Route -> Large (Choice rule 2)']);
    expect(taken(definition, await run(definition, { kind: 'big', size: 150 }))).toEqual(['Large (End)', 'Route -> Large (Choice rule 1)']);
  });

  it('adds runs up and lists what no run took', async () => {
    const machine = measured(definition, [await run(definition, { kind: 'big' }), await run(definition, { kind: 'small', size: 3 })]);
    expect(machine).toEqual({
      name: 'm',
      states: { total: 3, visited: 3, missing: [] },
      transitions: { total: 5, taken: 4, missing: ['Route -> Large (Choice rule 2)'] },
    });
  });

  it('throws, naming the Choice, when the state entered is not where the matching rule leads', async () => {
    const execution = await run(definition, { kind: 'big' });
    // The recorded input no longer matches rule 1: the events and the definition disagree.
    const forged = execution.events.map((event) => (event.kind === 'entered' && event.state === 'Route' ? { ...event, input: { kind: 'tiny' } } : event));
    expect(() => executionCoverage(definition, { events: forged })).toThrow(
      'state Route: its Default leads to Small, but Large was entered next in the same states list',
    );
  });
});

describe('a Task with two retriers and two catchers to the same state', () => {
  const definition: AslDefinition = {
    StartAt: 'Load',
    States: {
      Load: {
        Type: 'Task',
        Resource: TASK,
        TimeoutSeconds: 5,
        Retry: [
          { ErrorEquals: ['Athena.TooManyRequestsException'], MaxAttempts: 2 },
          { ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 },
          { ErrorEquals: ['States.ALL'], MaxAttempts: 0 },
        ],
        Catch: [
          { ErrorEquals: ['Lock.Lost'], Next: 'Alert' },
          { ErrorEquals: ['States.ALL'], Next: 'Alert' },
        ],
        Next: 'Loaded',
      },
      Loaded: { Type: 'Succeed' },
      Alert: { Type: 'Fail', Error: 'LoadFailed' },
    },
  };

  /** Fails with the errors the input lists, one per attempt, then succeeds. */
  function failing(errors: string[]): TaskHandlers {
    let attempt = 0;
    return {
      Load: async () => {
        const error = errors[attempt++];
        if (error !== undefined) throw new TaskError(error, `attempt ${attempt}`);
        return {};
      },
    };
  }

  it('names the retrier by the error it retried and the catcher by the error it caught', async () => {
    const throttled = await run(definition, {}, failing(['Athena.TooManyRequestsException', 'Athena.TooManyRequestsException']));
    expect(throttled.status).toBe('SUCCEEDED');
    expect(taken(definition, throttled)).toEqual(['Load (Retry 1: Athena.TooManyRequestsException)', 'Load -> Loaded (Next)']);

    // Lock.Lost is a task error: the second retrier retries it once, then the first catcher, not States.ALL, catches it.
    const lost = await run(definition, {}, failing(['Lock.Lost', 'Lock.Lost']));
    expect(lost.status).toBe('FAILED');
    expect(taken(definition, lost)).toEqual(['Load (Retry 2: States.TaskFailed)', 'Load -> Alert (Catch 1: Lock.Lost)']);

    const broken = await run(definition, {}, failing(['Athena.InvalidRequestException', 'Athena.InvalidRequestException']));
    expect(taken(definition, broken)).toEqual(['Load (Retry 2: States.TaskFailed)', 'Load -> Alert (Catch 2: States.ALL)']);

    expect(measured(definition, [throttled, lost, broken]).transitions).toEqual({ total: 5, taken: 5, missing: [] });
  });

  it('does not count a retrier allowed no attempt, which can never retry', () => {
    expect(measured(definition, []).transitions.missing).not.toContain('Load (Retry 3: States.ALL)');
  });
});

describe('a Parallel whose branches interleave', () => {
  const definition: AslDefinition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'LeftFirst',
            States: {
              LeftFirst: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, Next: 'LeftSecond' },
              LeftSecond: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true },
            },
          },
          {
            StartAt: 'RightFirst',
            States: {
              RightFirst: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, Next: 'RightSecond' },
              RightSecond: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true },
            },
          },
        ],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };

  it('follows each branch on its own: the state after another is never one of the other branch', async () => {
    // The left branch is slower at first, faster second, so the branches' states alternate in the log.
    const handlers: TaskHandlers = {
      LeftFirst: () => sleep(20),
      LeftSecond: () => sleep(1),
      RightFirst: () => sleep(5),
      RightSecond: () => sleep(40),
    };
    const execution = await run(definition, {}, handlers);
    const entered = execution.events.filter((event) => event.kind === 'entered').map((event) => event.state);
    expect(entered).toEqual(['Both', 'LeftFirst', 'RightFirst', 'RightSecond', 'LeftSecond', 'Done']);
    expect(taken(definition, execution)).toEqual([
      'Both -> Done (Next)',
      'LeftFirst -> LeftSecond (Next)',
      'LeftSecond (End)',
      'RightFirst -> RightSecond (Next)',
      'RightSecond (End)',
    ]);
  });
});

describe('a Parallel retried after a branch failed', () => {
  const definition: AslDefinition = {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 1 }],
        Branches: [
          { StartAt: 'Quick', States: { Quick: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true } } },
          {
            StartAt: 'SlowFirst',
            States: {
              SlowFirst: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, Next: 'SlowSecond' },
              SlowSecond: { Type: 'Pass', End: true },
            },
          },
        ],
        End: true,
      },
    },
  };

  it('starts both branches afresh: the run aborted while its sibling failed is over', async () => {
    let quickCalls = 0;
    const handlers: TaskHandlers = {
      Quick: async () => {
        quickCalls += 1;
        if (quickCalls === 1) throw new TaskError('Flaky', 'first attempt');
        return {};
      },
      SlowFirst: () => sleep(20),
    };
    const execution = await run(definition, {}, handlers);
    expect(execution.status).toBe('SUCCEEDED');
    // The first SlowFirst was aborted while running: it entered twice and exited once.
    expect(execution.events.filter((event) => event.state === 'SlowFirst').map((event) => event.kind)).toEqual(['entered', 'entered', 'exited']);
    expect(taken(definition, execution)).toEqual([
      'Both (End)',
      'Both (Retry 1: Flaky)',
      'Quick (End)',
      'SlowFirst -> SlowSecond (Next)',
      'SlowSecond (End)',
    ]);
  });
});

describe('a Map with several iterations', () => {
  const definition: AslDefinition = {
    StartAt: 'EachItem',
    States: {
      EachItem: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Size',
          States: {
            Size: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
            Big: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true },
            Small: { Type: 'Pass', End: true },
          },
        },
        End: true,
      },
    },
  };

  it('follows each iteration on its own, with the Choice evaluated on that iteration\'s item', async () => {
    const execution = await run(definition, { items: [{ n: 5 }, { n: 1 }, { n: 2 }] }, { Big: () => sleep(10) });
    expect(execution.status).toBe('SUCCEEDED');
    expect(new Set(execution.events.filter((event) => event.state === 'Size').map((event) => event.iteration))).toEqual(new Set([0, 1, 2]));
    expect(measured(definition, [execution])).toEqual({
      name: 'm',
      states: { total: 4, visited: 4, missing: [] },
      transitions: { total: 5, taken: 5, missing: [] },
    });
  });

  it('refuses to guess when iterations of a Map inside a Map cannot be told apart', async () => {
    // The interpreter labels nested states with the outer iteration only, so the two inner iterations look like one run.
    const nested: AslDefinition = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Map',
          ItemsPath: '$.rows',
          ItemProcessor: {
            StartAt: 'Inner',
            States: { Inner: { Type: 'Map', ItemProcessor: { StartAt: 'Cell', States: { Cell: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true } } }, End: true } },
          },
          End: true,
        },
      },
    };
    const execution = await run(nested, { rows: [[1, 2]] }, { Cell: () => sleep(5) });
    expect(execution.status).toBe('SUCCEEDED');
    expect(() => executionCoverage(nested, execution)).toThrow(
      'state Cell: entered while Cell of the same states list (Map iteration 0) had not finished: two runs of one list interleave and cannot be told apart',
    );
  });
});

describe('Fail, Succeed and End', () => {
  const definition: AslDefinition = {
    StartAt: 'Outcome',
    States: {
      Outcome: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.outcome', StringEquals: 'fail', Next: 'Broken' },
          { Variable: '$.outcome', StringEquals: 'succeed', Next: 'Fine' },
        ],
        Default: 'Record',
      },
      Broken: { Type: 'Fail', Error: 'Broken' },
      Fine: { Type: 'Succeed' },
      Record: { Type: 'Pass', Result: 'recorded', End: true },
    },
  };

  it('gives Fail and Succeed no outgoing transition and an End state its End', async () => {
    const failed = await run(definition, { outcome: 'fail' });
    expect(failed.status).toBe('FAILED');
    expect(taken(definition, failed)).toEqual(['Outcome -> Broken (Choice rule 1)']);
    const machine = measured(definition, [failed, await run(definition, { outcome: 'other' })]);
    expect(machine).toEqual({
      name: 'm',
      states: { total: 4, visited: 3, missing: ['Fine'] },
      transitions: { total: 4, taken: 3, missing: ['Outcome -> Fine (Choice rule 2)'] },
    });
  });

  it('counts a machine that never ran with nothing visited', () => {
    expect(measured(definition, [])).toEqual({
      name: 'm',
      states: { total: 4, visited: 0, missing: ['Broken', 'Fine', 'Outcome', 'Record'] },
      transitions: {
        total: 4,
        taken: 0,
        missing: ['Outcome -> Broken (Choice rule 1)', 'Outcome -> Fine (Choice rule 2)', 'Outcome -> Record (Default)', 'Record (End)'],
      },
    });
  });
});
