import { Console } from 'node:console';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withStdoutTo } from '../../../lib/local/runtime/function-log.ts';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'function-log-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(directory, { recursive: true, force: true });
});

describe("a function's stdout, offline", () => {
  it("goes to the function's log file, while other writes meanwhile still reach stdout", async () => {
    const reached: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      reached.push(String(chunk));
      return true;
    });
    const log = join(directory, 'logs', 'validate.log');
    const progress = (async () => {
      await sleep(5);
      process.stdout.write('progress line\n');
    })();
    const result = await withStdoutTo(log, async () => {
      process.stdout.write('{"level":"INFO"}\n');
      await sleep(20);
      // As Powertools writes its log lines and metrics: a Console of its own on process.stdout.
      new Console({ stdout: process.stdout, stderr: process.stderr }).log('{"_aws":{}}');
      return 42;
    });
    await progress;
    expect(result).toBe(42);
    expect(readFileSync(log, 'utf8')).toBe('{"level":"INFO"}\n{"_aws":{}}\n');
    expect(reached).toEqual(['progress line\n']);
  });

  it('keeps two overlapping invocations apart and restores stdout after both, even when one throws', async () => {
    const write = process.stdout.write;
    const first = join(directory, 'first.log');
    const second = join(directory, 'second.log');
    const failing = withStdoutTo(first, async () => {
      process.stdout.write('first\n');
      await sleep(10);
      throw new Error('function error');
    });
    await withStdoutTo(second, async () => {
      process.stdout.write('second\n');
    });
    await expect(failing).rejects.toThrow('function error');
    expect(readFileSync(first, 'utf8')).toBe('first\n');
    expect(readFileSync(second, 'utf8')).toBe('second\n');
    expect(process.stdout.write).toBe(write);
  });
});
