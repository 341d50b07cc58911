/** Runs a staged Lambda bundle's handler in a fresh Node process, with only Lambda's environment. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The role credentials Lambda would set; nothing verifies them locally. */
export const TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local-secret', AWS_SESSION_TOKEN: 'local-token' };

/** Invokes `index.handler` of the bundle in `taskRoot` with `event`; resolves with its result or its error message. */
export async function invokeBundle(
  taskRoot: string,
  event: unknown,
  environment: Readonly<Record<string, string>>,
): Promise<{ result?: unknown; error?: string }> {
  const script = [
    `require(${JSON.stringify(join(taskRoot, 'index.js'))}).handler(JSON.parse(process.env.TEST_EVENT)).then(`,
    "  (result) => process.stdout.write('RESULT ' + JSON.stringify({ result }) + '\\n'),",
    "  (error) => process.stdout.write('RESULT ' + JSON.stringify({ error: error.message }) + '\\n'),",
    ');',
  ].join('\n');
  const { stdout } = await execFileAsync(process.execPath, ['--eval', script], {
    cwd: taskRoot,
    env: {
      PATH: process.env['PATH'],
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_REGION: 'eu-west-1',
      ...TEST_CREDENTIALS,
      ...environment,
      TEST_EVENT: JSON.stringify(event),
    },
  });
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
  if (line === undefined) throw new Error(`the handler printed no result:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as { result?: unknown; error?: string };
}
