import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./killed-run-child.ts', import.meta.url));

/**
 * Runs `killed-run-child.ts` on `workspace` until it is inside its Load (its lock held, its
 * execution RUNNING, a data file written but not committed), then kills it with SIGKILL.
 * Returns its process id.
 */
export async function killInsideLoad(workspace: string): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, workspace], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('loading')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the child ended (exit ${code}) before its Load:\n${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}
