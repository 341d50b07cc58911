/**
 * An environment's synthesized stacks from the assembly cache, synthesizing and storing them on a
 * miss. The synthesis itself is the caller's (lib/cli builds the CDK app): lib/local only keeps
 * what it wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AssemblyStack, readCloudAssembly } from '../stepfunctions/cloud-assembly.ts';
import type { AssemblyCache } from './assembly-cache.ts';
import { type AssemblyInputs, assemblyKey } from './assembly-key.ts';

export interface CachedAssemblyOptions {
  readonly cache: AssemblyCache;
  readonly inputs: AssemblyInputs;
  /** Synthesizes the app `inputs` describe into `outdir` and returns the folder of the environment's cloud assembly. */
  readonly synthesizeInto: (outdir: string) => Promise<string>;
}

export interface CachedAssembly {
  readonly stacks: AssemblyStack[];
  readonly key: string;
  /** Whether the stacks came from the cache (no synthesis ran). */
  readonly hit: boolean;
}

export async function cachedAssembly(options: CachedAssemblyOptions): Promise<CachedAssembly> {
  const key = assemblyKey(options.inputs);
  const cached = options.cache.read(key);
  if (cached !== undefined) return { stacks: cached, key, hit: true };
  const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-synth-'));
  try {
    const assembly = await options.synthesizeInto(outdir);
    const stacks = readCloudAssembly(assembly);
    // An input edited while synthesis read it (a contract saved meanwhile) leaves an assembly that
    // matches neither key: used by this process, which asked before the edit, but never stored.
    if (assemblyKey(options.inputs) === key) options.cache.store(key, assembly);
    return { stacks, key, hit: false };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
