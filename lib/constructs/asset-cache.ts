/**
 * Lambda assets built at synth without network, kept in a cache keyed by what they are built
 * from, so a synth reuses them instead of rebuilding, copying or fingerprinting 70 MB again.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `node_modules/.cache/contract-lakehouse/`: ignored by git, removed with node_modules. */
export const ASSET_CACHE_ROOT = fileURLToPath(new URL('../../node_modules/.cache/contract-lakehouse/', import.meta.url));

/**
 * Creates `directory` once: `fill` writes into a private staging directory that is then renamed
 * into place, so a half-written directory is never seen and two processes synthesizing at the
 * same time (parallel tests) both end up with one complete copy.
 */
export function fillOnce(directory: string, fill: (staging: string) => void): string {
  if (existsSync(directory)) return directory;
  const staging = `${directory}.staging-${process.pid}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(staging, { recursive: true });
  try {
    fill(staging);
    renameSync(staging, directory);
  } catch (error) {
    if (!existsSync(directory)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return directory;
}

/** Hard links share the bytes of the installed files; across file systems they cannot, so copy. */
function linkOrCopyFile(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
    copyFileSync(source, target);
  }
}

/** Recreates the tree of `source` under `target` with hard links (or copies), following no symlinks. */
export function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) linkTree(from, to);
    else if (entry.isFile()) linkOrCopyFile(from, to);
  }
}
