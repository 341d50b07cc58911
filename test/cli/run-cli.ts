import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** tsx's loader by absolute URL, so the CLI also runs from a working directory outside the repo. */
const tsxLoader = new URL('node_modules/tsx/dist/loader.mjs', new URL('../../', import.meta.url)).href;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI as a user would (DESIGN.md: `node --import tsx`, not `npx`, whose bin cache goes stale). */
export function runLakehouse(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, ['--import', tsxLoader, `${repoRoot}bin/lakehouse.ts`, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
