import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';
import { runStateMachine } from '../../../lib/local/stepfunctions/run.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** One Task whose failures a Catch swallows: the shape that hides a missing polyfill. */
const CAUGHT_TASK: AslDefinition = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:work',
      TimeoutSeconds: 5,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Pass', End: true },
  },
};

describe('the Promise.withResolvers polyfill', () => {
  it.skipIf(NODE_MAJOR >= 22)('is needed: without it the library fails every Task, and a Catch hides that', () => {
    const script = `
      import { StateMachine } from 'aws-local-stepfunctions';
      const definition = ${JSON.stringify(CAUGHT_TASK)};
      const run = new StateMachine(definition).run({}, { overrides: { taskResourceLocalHandlers: { Work: async () => ({ done: true }) } } });
      process.stdout.write(JSON.stringify(await run.result));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(JSON.parse(output)).toMatchObject({ Error: 'TypeError', Cause: expect.stringContaining('withResolvers') });
  });

  it('is installed by the runtime, so the same Task reaches its handler', async () => {
    const result = await runStateMachine({ definition: CAUGHT_TASK, input: {}, handlers: { Work: async () => ({ done: true }) } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.visitedStates).toEqual(['Work']);
    expect(result.output).toEqual({ done: true });
  });

  it('resolves and rejects like the native one', async () => {
    const promiseWithResolvers = Promise as unknown as {
      withResolvers: <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void };
    };
    const resolved = promiseWithResolvers.withResolvers<number>();
    resolved.resolve(7);
    await expect(resolved.promise).resolves.toBe(7);
    const rejected = promiseWithResolvers.withResolvers<number>();
    rejected.reject(new Error('no'));
    await expect(rejected.promise).rejects.toThrow('no');
  });
});
