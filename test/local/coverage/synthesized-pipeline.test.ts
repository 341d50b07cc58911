/**
 * Coverage measured on a definition as CDK synthesizes it (the small pipeline-shaped fixture stage:
 * Retry, Catch, a Choice, a Map over item processors), run by the real interpreter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stageStateMachines } from '../../../lib/cli/offline-environment.ts';
import { StateCoverage } from '../../../lib/local/coverage/state-coverage.ts';
import type { SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import { runStateMachine } from '../../../lib/local/stepfunctions/run.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import type { TaskHandler } from '../../../lib/local/stepfunctions/task-handlers.ts';
import { fixtureStage } from '../stepfunctions/fixture-stage.ts';

const INPUT = { file: 'landing/sales/orders/a.csv', files: ['a.csv', 'b.csv'] };

/** The real integrations' response shapes; `overrides` replace some. */
function handlers(overrides: Record<string, TaskHandler> = {}): Record<string, TaskHandler> {
  return {
    Validate: async () => ({ StatusCode: 200, Payload: { passed: true } }),
    Load: async () => ({ QueryExecution: { QueryExecutionId: 'query-1', Status: { State: 'SUCCEEDED' } } }),
    Results: async () => ({ ResultSet: { Rows: [] } }),
    PerFile: async (file) => ({ file }),
    Announce: async () => ({ Entries: [{ EventId: 'event-1' }], FailedEntryCount: 0 }),
    Alert: async () => ({ MessageId: 'message-1' }),
    ...overrides,
  };
}

describe('coverage of a synthesized pipeline', () => {
  let pipeline: SynthesizedStateMachine;

  beforeAll(() => {
    pipeline = stageStateMachines(fixtureStage().stage).find((machine) => machine.name === 'dev-pipeline')!;
  });

  it('counts what the runs took and names the one catcher none of them reached', async () => {
    let validations = 0;
    const runs = [
      handlers(),
      handlers({ Validate: async () => ({ Payload: { passed: false } }) }),
      handlers({
        Validate: async () => {
          validations += 1;
          if (validations === 1) throw new TaskError('Lambda.ServiceException', 'first attempt');
          return { Payload: { passed: true } };
        },
      }),
      handlers({
        Load: async () => {
          throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
        },
      }),
    ];
    const coverage = new StateCoverage();
    for (const taskHandlers of runs) {
      coverage.record(pipeline, await runStateMachine({ definition: pipeline.definition, input: INPUT, handlers: taskHandlers, retryPauseMs: 0 }));
    }
    expect(coverage.report()).toEqual({
      machines: [
        {
          name: 'dev-pipeline',
          states: { total: 11, visited: 11, missing: [] },
          transitions: { total: 14, taken: 13, missing: ['Validate -> Alert (Catch 1: States.ALL)'] },
        },
      ],
    });
  });
});
