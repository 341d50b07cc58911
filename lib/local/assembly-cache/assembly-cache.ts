/**
 * Synthesized cloud assemblies kept by their inputs' content hash (`assemblyKey`), so that the
 * processes of a project (`lakehouse run`, `quarantine release`, `unlock`, the tests) synthesize an
 * unchanged app once between them instead of once each. An entry holds only the files
 * `readCloudAssembly` reads (manifest, templates, metadata, about 1 MB for the shipped dev Stage),
 * not the bundled Lambda assets: it stays a cloud assembly any CDK tool can read, and the one
 * reader the offline runtime already has reads it. The state machines are resolved from it on each
 * hit (milliseconds), so the cache has no format of its own to keep in step with the runtime.
 *
 * An entry is written to a folder of its own and renamed into place, so another process sees all
 * of it or none. Missing or damaged, an entry is a miss, never an error.
 */
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { type AssemblyStack, cloudAssemblyFiles, readCloudAssembly } from '../stepfunctions/cloud-assembly.ts';
import { DEFAULT_WORKSPACE } from '../workspace.ts';

/** Entries kept after a store; each hit refreshes its entry, so the ones in use stay. */
export const KEPT_ASSEMBLIES = 8;
/** A folder being written or removed longer than this belongs to a process that was killed. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const ENTRY_NAME = /^[0-9a-f]{64}$/;
/** Folders that are not entries start with a dot, so no key can take their name. */
const WRITING_PREFIX = '.writing-';
const REMOVING_PREFIX = '.removing-';

/** `<projectRoot>/.lake/assemblies`: the project's workspace, git-ignored; `rm -rf` it to clear the cache. */
export function projectAssemblyCacheDirectory(projectRoot: string): string {
  return join(projectRoot, DEFAULT_WORKSPACE, 'assemblies');
}

function uniqueSuffix(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2)}`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

export class AssemblyCache {
  constructor(
    readonly directory: string,
    private readonly kept: number = KEPT_ASSEMBLIES,
  ) {}

  /** The folder of the entry `key`. */
  entryDirectory(key: string): string {
    if (!ENTRY_NAME.test(key)) throw new Error(`assembly cache: '${key}' is not a key (64 hex digits)`);
    return join(this.directory, key);
  }

  /** The stacks stored under `key`, or undefined when there are none that read back whole. */
  read(key: string): AssemblyStack[] | undefined {
    const entry = this.entryDirectory(key);
    if (statSync(entry, { throwIfNoEntry: false }) === undefined) return undefined;
    let stacks: AssemblyStack[];
    try {
      stacks = readCloudAssembly(entry);
    } catch {
      // Damaged (a file edited or removed by hand) or pruned meanwhile: out of the way of the next store.
      this.remove(key);
      return undefined;
    }
    this.markUsed(entry);
    return stacks;
  }

  /**
   * Stores the files `readCloudAssembly` reads from the assembly in `assemblyDirectory` under
   * `key`, then prunes all but the newest entries. Another process that stored the same key first
   * wins: the inputs being equal, so are the assemblies.
   */
  store(key: string, assemblyDirectory: string): void {
    const entry = this.entryDirectory(key);
    mkdirSync(this.directory, { recursive: true });
    const writing = join(this.directory, `${WRITING_PREFIX}${uniqueSuffix()}`);
    try {
      for (const file of cloudAssemblyFiles(assemblyDirectory)) cpSync(join(assemblyDirectory, file), join(writing, file));
      renameSync(writing, entry);
    } catch (error) {
      if (errorCode(error) !== 'ENOTEMPTY' && errorCode(error) !== 'EEXIST') throw error;
    } finally {
      rmSync(writing, { recursive: true, force: true });
    }
    this.prune();
  }

  /** Pruning keeps the newest entries by modification time: a hit makes its entry new again. */
  private markUsed(entry: string): void {
    const now = new Date();
    try {
      utimesSync(entry, now, now);
    } catch (error) {
      // Pruned by another process since it was read: the stacks read are whole all the same.
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }

  /** Renamed out of the way first, so that an entry is never seen half removed. */
  private remove(name: string): void {
    const removing = join(this.directory, `${REMOVING_PREFIX}${uniqueSuffix()}`);
    try {
      renameSync(join(this.directory, name), removing);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    rmSync(removing, { recursive: true, force: true });
  }

  private prune(): void {
    const folders = readdirSync(this.directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ name: entry.name, modified: statSync(join(this.directory, entry.name), { throwIfNoEntry: false })?.mtimeMs }))
      .filter((folder): folder is { name: string; modified: number } => folder.modified !== undefined);
    const entries = folders.filter((folder) => ENTRY_NAME.test(folder.name)).sort((a, b) => b.modified - a.modified);
    for (const old of entries.slice(this.kept)) this.remove(old.name);
    const abandoned = folders.filter(
      (folder) => (folder.name.startsWith(WRITING_PREFIX) || folder.name.startsWith(REMOVING_PREFIX)) && Date.now() - folder.modified > ABANDONED_AFTER_MS,
    );
    for (const folder of abandoned) rmSync(join(this.directory, folder.name), { recursive: true, force: true });
  }
}
