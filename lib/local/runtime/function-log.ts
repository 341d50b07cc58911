/**
 * A Lambda function's stdout goes to CloudWatch Logs, not to the caller. Offline, the validator's
 * JSON log lines and EMF metric documents go to a log file the same way, so the CLI's stdout stays
 * one JSON document under `--json`. Only what the function writes is redirected: the invocation
 * runs in its own async context, and writes from anywhere else (progress lines printed while the
 * function runs) still reach stdout.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const invocation = new AsyncLocalStorage<string>();
let active = 0;
let hostWrite: typeof process.stdout.write | undefined;

function redirecting(write: typeof process.stdout.write): typeof process.stdout.write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const file = invocation.getStore();
    if (file === undefined) return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    appendFileSync(file, chunk);
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
}

export async function withStdoutTo<T>(file: string, action: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  if (active === 0) {
    hostWrite = process.stdout.write;
    process.stdout.write = redirecting(hostWrite);
  }
  active += 1;
  try {
    return await invocation.run(file, action);
  } finally {
    active -= 1;
    if (active === 0) {
      process.stdout.write = hostWrite!;
      hostWrite = undefined;
    }
  }
}
