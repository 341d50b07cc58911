/**
 * Scratch space under the workspace, one folder per process, `<workspace>/scratch/<pid>-<start>`,
 * and in it one per claim (a process may run several runtimes, tests do).
 * It holds what a run copies for a while (landed files for the validator, validated Parquet for a
 * load, DuckDB's spill files), so it can hold personal data: it stays inside the workspace, never
 * in the system's temp folder, and goes when its process ends. A process killed before its
 * cleanup leaves its folder behind; the next process to claim scratch removes every folder whose
 * owner no longer runs (same id and start time: a reused process id does not keep a folder alive).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { currentProcess, processRunning, type ProcessIdentity } from './process-identity.ts';
import type { Workspace } from './workspace.ts';

const OWNED_FOLDER = /^(\d+)-(.+)$/;

export function scratchRoot(workspace: Workspace): string {
  return join(workspace.root, 'scratch');
}

function folderName(owner: ProcessIdentity): string {
  return `${owner.pid}-${encodeURIComponent(owner.start)}`;
}

function ownerOf(name: string): ProcessIdentity | undefined {
  const match = OWNED_FOLDER.exec(name);
  if (match === null) return undefined;
  try {
    return { pid: Number(match[1]), start: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

/** Removes the scratch folders of processes that are gone; returns their paths. */
export function removeStaleScratch(workspace: Workspace): string[] {
  const root = scratchRoot(workspace);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const stale = names.filter((name) => {
    const owner = ownerOf(name);
    // A folder not named for an owner is not one this module made: left alone.
    return owner !== undefined && !processRunning(owner);
  });
  for (const name of stale) rmSync(join(root, name), { recursive: true, force: true });
  return stale.map((name) => join(root, name));
}

/** A fresh scratch folder of this process, created after removing stale ones; `releaseScratch` removes it. */
export function claimScratch(workspace: Workspace): string {
  removeStaleScratch(workspace);
  const folder = join(scratchRoot(workspace), folderName(currentProcess()), randomUUID());
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Removes a claimed folder, and the process's folder once no claim is left in it. */
export function releaseScratch(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  try {
    rmdirSync(dirname(folder));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}
