import { describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';
import { withWaitSeconds } from '../../../lib/local/runtime/wait-states.ts';

const definition = {
  StartAt: 'WaitForLock',
  States: {
    WaitForLock: { Type: 'Wait', Seconds: 30, Next: 'Until' },
    Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemProcessor: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 60, End: true } } },
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 5, End: true } } }],
      End: true,
    },
  },
} as unknown as AslDefinition;

describe('Wait states offline', () => {
  it('shortens every Seconds wait, nested ones included, and leaves the rest and the original alone', () => {
    expect(withWaitSeconds(definition, 0)).toEqual({
      StartAt: 'WaitForLock',
      States: {
        WaitForLock: { Type: 'Wait', Seconds: 0, Next: 'Until' },
        Until: { Type: 'Wait', TimestampPath: '$.until', Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 0, End: true } } },
          Next: 'Both',
        },
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 0, End: true } } }],
          End: true,
        },
      },
    });
    expect(definition.States['WaitForLock']).toEqual({ Type: 'Wait', Seconds: 30, Next: 'Until' });
  });

  it('refuses a negative or fractional wait', () => {
    expect(() => withWaitSeconds(definition, -1)).toThrow(/whole number of seconds/);
    expect(() => withWaitSeconds(definition, 0.5)).toThrow(/whole number of seconds/);
  });
});
