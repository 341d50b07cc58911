import { describe, expect, it } from 'vitest';
import { ExecutionTrace } from '../../../lib/local/runtime/execution-trace.ts';
import type { StateEvent } from '../../../lib/local/stepfunctions/run.ts';

const task = { stateType: 'Task' } as const;

function replay(events: StateEvent[], notes: (trace: ExecutionTrace) => void = () => undefined): { lines: string[]; trace: ExecutionTrace } {
  const lines: string[] = [];
  const trace = new ExecutionTrace((line) => lines.push(line));
  notes(trace);
  for (const event of events) trace.onEvent(event);
  return { lines, trace };
}

describe('following an execution state by state', () => {
  it('shows a Task when it starts and when it ends with its duration, and other states once', () => {
    const { lines, trace } = replay([
      { ...task, kind: 'entered', state: 'Validate', at: 1000, input: {} },
      { ...task, kind: 'exited', state: 'Validate', at: 1120, output: {} },
      { stateType: 'Choice', kind: 'entered', state: 'CheckValidation', at: 1121, input: {} },
      { stateType: 'Choice', kind: 'exited', state: 'CheckValidation', at: 1121, output: {} },
      { stateType: 'Succeed', kind: 'entered', state: 'Loaded', at: 1122, input: {} },
      { stateType: 'Succeed', kind: 'exited', state: 'Loaded', at: 1122, output: {} },
    ]);
    expect(lines).toEqual(['▶ Validate', '✓ Validate 120 ms', '· CheckValidation', '✓ Loaded']);
    expect(trace.visits).toEqual([
      { state: 'Validate', type: 'Task', outcome: 'succeeded', retries: 0, durationMs: 120 },
      { state: 'CheckValidation', type: 'Choice', outcome: 'succeeded', retries: 0, durationMs: 0 },
      { state: 'Loaded', type: 'Succeed', outcome: 'succeeded', retries: 0, durationMs: 0 },
    ]);
  });

  it('shows retries and catches, and what a state sent under its own line', () => {
    const { lines, trace } = replay(
      [
        { ...task, kind: 'entered', state: 'Load', at: 0, input: {} },
        { ...task, kind: 'failed', state: 'Load', at: 5, error: 'Athena.TooManyRequestsException', cause: 'Rate exceeded' },
        { ...task, kind: 'retried', state: 'Load', at: 6, attempt: 1 },
        { ...task, kind: 'failed', state: 'Load', at: 9, error: 'States.TaskFailed', cause: '{"QueryExecution": {}}' },
        { ...task, kind: 'caught', state: 'Load', at: 9, next: 'CheckLoadFailure' },
        { ...task, kind: 'exited', state: 'Load', at: 9, output: {} },
        { ...task, kind: 'entered', state: 'AlertFailed', at: 10, input: {} },
        { ...task, kind: 'exited', state: 'AlertFailed', at: 12, output: {} },
      ],
      (trace) => trace.noteFor('AlertFailed')('⚠ alert to acme-dev-sales-alerts: Pipeline failed'),
    );
    expect(lines).toEqual([
      '▶ Load',
      '✗ Load failed: Athena.TooManyRequestsException: Rate exceeded',
      '↻ Load retry 1 after Athena.TooManyRequestsException',
      '✗ Load failed: States.TaskFailed: {"QueryExecution": {}}',
      '↪ Load caught → CheckLoadFailure',
      '▶ AlertFailed',
      '✓ AlertFailed 2 ms',
      '    ⚠ alert to acme-dev-sales-alerts: Pipeline failed',
    ]);
    expect(trace.visits[0]).toEqual({
      state: 'Load',
      type: 'Task',
      outcome: 'caught',
      retries: 1,
      durationMs: 9,
      error: 'States.TaskFailed',
      next: 'CheckLoadFailure',
    });
  });

  it('keeps Map iterations apart and shortens long causes', () => {
    const cause = 'x'.repeat(400);
    const { lines, trace } = replay([
      { ...task, kind: 'entered', state: 'Optimize', at: 0, input: {}, iteration: 0 },
      { ...task, kind: 'entered', state: 'Optimize', at: 1, input: {}, iteration: 1 },
      { ...task, kind: 'failed', state: 'Optimize', at: 3, error: 'States.TaskFailed', cause, iteration: 1 },
      { ...task, kind: 'exited', state: 'Optimize', at: 4, output: {}, iteration: 0 },
    ]);
    expect(lines[2]).toBe(`✗ [1] Optimize failed: States.TaskFailed: ${'x'.repeat(160)}…`);
    expect(lines[3]).toBe('✓ [0] Optimize 4 ms');
    expect(trace.visits.map((visit) => [visit.iteration, visit.outcome])).toEqual([
      [0, 'succeeded'],
      [1, 'failed'],
    ]);
  });
});
