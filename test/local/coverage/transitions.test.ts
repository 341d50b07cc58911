import { describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';
import { listTransitions } from '../../../lib/local/stepfunctions/transitions.ts';

const TASK = 'arn:aws:states:::lambda:invoke';

const DEFINITION: AslDefinition = {
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, Next: 'CheckValidation' },
    CheckValidation: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.passed', BooleanEquals: true, Next: 'Load' },
        { Variable: '$.rows', NumericEquals: 0, Next: 'NothingToLoad' },
      ],
      Default: 'Rejected',
    },
    Load: {
      Type: 'Task',
      Resource: TASK,
      TimeoutSeconds: 5,
      Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'] }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Rejected' }],
      Next: 'EachFile',
    },
    EachFile: {
      Type: 'Map',
      Iterator: { StartAt: 'PerFile', States: { PerFile: { Type: 'Pass', End: true } } },
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Wait', Seconds: 1, End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Succeed' } } },
      ],
      End: true,
    },
    NothingToLoad: { Type: 'Succeed' },
    Rejected: { Type: 'Fail', Error: 'Rejected' },
  },
};

describe('listTransitions', () => {
  it('lists every kind of transition with a readable id, nested Map and Parallel states included, and none out of Succeed or Fail', () => {
    expect(listTransitions(DEFINITION).map((transition) => transition.id)).toEqual([
      'Validate -> CheckValidation (Next)',
      'CheckValidation -> Load (Choice rule 1)',
      'CheckValidation -> NothingToLoad (Choice rule 2)',
      'CheckValidation -> Rejected (Default)',
      'Load -> EachFile (Next)',
      'Load (Retry 1: Athena.TooManyRequestsException, Athena.InternalServerException)',
      'Load -> Rejected (Catch 1: States.ALL)',
      'EachFile -> Both (Next)',
      'PerFile (End)',
      'Both (End)',
      'Left (End)',
    ]);
  });
});
