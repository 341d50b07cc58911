import { describe, expect, it } from 'vitest';
import { type AslDefinition, listStates } from '../../../lib/local/stepfunctions/states.ts';
import { runStateMachine } from '../../../lib/local/stepfunctions/run.ts';

const TASK = 'arn:aws:states:::lambda:invoke';

const NESTED: AslDefinition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, End: true } } },
        {
          StartAt: 'Items',
          States: {
            Items: {
              Type: 'Map',
              ItemsPath: '$.items',
              Iterator: {
                StartAt: 'Item',
                States: {
                  Item: { Type: 'Task', Resource: TASK, TimeoutSeconds: 5, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true },
                },
              },
              End: true,
            },
          },
        },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

describe('listStates', () => {
  it('lists states inside Parallel branches and Map iterators with what encloses them and the states list holding them', () => {
    const listed = listStates(NESTED);
    expect(listed.map(({ definition: _definition, ...state }) => state)).toEqual([
      { name: 'Fan', type: 'Parallel', graph: 'Fan', hasRetry: false, enclosing: [] },
      { name: 'Left', type: 'Task', graph: 'Left', resource: TASK, hasRetry: false, enclosing: ['Fan'] },
      { name: 'Items', type: 'Map', graph: 'Items', hasRetry: false, enclosing: ['Fan'] },
      { name: 'Item', type: 'Task', graph: 'Item', resource: TASK, hasRetry: true, enclosing: ['Fan', 'Items'] },
      { name: 'Done', type: 'Succeed', graph: 'Fan', hasRetry: false, enclosing: [] },
    ]);
    expect(listed.find((state) => state.name === 'Done')!.definition).toBe(NESTED.States['Done']);
  });

  it('lets the runtime demand a handler for a Task nested two levels deep', async () => {
    await expect(
      runStateMachine({ definition: NESTED, input: { items: [1] }, handlers: { Left: async () => 'left' } }),
    ).rejects.toThrow(/no local handler for Task state 'Item' inside Fan > Items/);
  });

  it('runs nested Tasks through their handlers', async () => {
    const result = await runStateMachine({
      definition: NESTED,
      input: { items: [1, 2] },
      handlers: { Left: async () => 'left', Item: async (item) => Number(item) * 10 },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(['left', [10, 20]]);
    expect([...result.visitedStates].sort()).toEqual(['Done', 'Fan', 'Item', 'Item', 'Items', 'Left']);
  });
});
