import { inspect } from 'node:util';
import { processIO } from '../../lib/cli/io.ts';
import { runCli } from '../../lib/cli/main.ts';
import { repoRoot, type CliResult } from './run-cli.ts';

type Write = typeof process.stdout.write;

/** Collects what is written to a stream while a call runs, instead of writing it. */
function capture(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  return { text: () => chunks.join(''), restore: () => void (stream.write = original) };
}

/** Sets `overrides` in process.env and returns how to put every key back as it was. */
function overrideEnv(overrides: NodeJS.ProcessEnv): () => void {
  const previous = Object.entries(overrides).map(([key]) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/**
 * Runs the CLI's `runCli` in this test process: the same result as `runLakehouse` without the
 * seconds of module loading a new process pays, so a test file pays them once. For what does not
 * depend on being a process of its own (usage errors, messages, rendering); the wiring of
 * bin/lakehouse.ts, and anything about pids, kills or concurrent runs, stays with `runLakehouse`.
 *
 * Commands write through `processIO`, and the process streams are captured rather than a
 * `CommandIO` of our own: what a library writes straight to stdout or stderr is captured too, so
 * "stderr is empty" and "stdout is one JSON document" mean here what they mean in a process. An
 * error escaping `runCli` is printed with its stack and gives status 1, as Node does for an
 * uncaught one. The working directory and `env` apply during the call only (vitest's forks allow
 * `process.chdir`); calls must not overlap, which a test file's sequential tests guarantee.
 */
export async function runLakehouseInProcess(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const cwd = process.cwd();
  // First, so a working directory that does not exist throws before anything was changed.
  process.chdir(options.cwd ?? repoRoot);
  const restoreEnv = overrideEnv(options.env ?? {});
  const stdout = capture(process.stdout);
  const stderr = capture(process.stderr);
  let status: number;
  try {
    status = await runCli(args, processIO);
  } catch (error) {
    process.stderr.write(`${inspect(error)}\n`);
    status = 1;
  } finally {
    stdout.restore();
    stderr.restore();
    process.chdir(cwd);
    restoreEnv();
  }
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}
