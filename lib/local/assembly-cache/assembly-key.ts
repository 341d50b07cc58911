/**
 * The content hash a synthesized cloud assembly is cached under: everything that changes what
 * synthesis writes, so that a changed input can never be answered by an old assembly. Inputs are
 * hashed as bytes, never by modification time, which a checkout or a copy can keep unchanged.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface AssemblyInputs {
  /**
   * Every file under it, by relative path and bytes, and the folder's absolute path: a validator's
   * compiled contract names a contract outside the project by absolute path, which reaches its
   * asset hash and so the template.
   */
  readonly contractsRoot: string;
  /** `cdk.json`'s context. */
  readonly context: Readonly<Record<string, unknown>>;
  /** The Stage synthesized. */
  readonly environment: string;
  /** The process environment variables synthesis reads (`assemblyVariables`). */
  readonly variables: Readonly<Record<string, string>>;
  /** The folder the app's code is in; its absolute path is hashed too (see `contractsRoot`). */
  readonly codeRoot: string;
  /** The app's code and toolchain, relative to `codeRoot`: files, or folders standing for every file under them. */
  readonly code: readonly string[];
}

/**
 * The variables synthesis reads: `readSettings` falls back to `CDK_DEFAULT_ACCOUNT` and
 * `CDK_DEFAULT_REGION`, and the CDK's `App` merges `CDK_CONTEXT_JSON` into the context. Every
 * `CDK_` variable is taken, so a variable added to either is covered without a list to update.
 */
export function assemblyVariables(environment: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment)
      .filter((entry): entry is [string, string] => entry[0].startsWith('CDK_') && entry[1] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** A field framed by its name and length, so that no two different inputs hash the same bytes. */
function addField(hash: Hash, name: string, value: string | Buffer): void {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  hash.update(`${name}\0${bytes.length}\0`);
  hash.update(bytes);
}

/** Every file under `path` (`path` itself when it is a file) relative to `root` with `/`, sorted; none when it does not exist. */
function filesUnder(root: string, path: string): string[] {
  const absolute = join(root, path);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (stats === undefined) return [];
  if (!stats.isDirectory()) return [path];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(absolute, entry)).isFile())
    .map((entry) => relative(root, join(absolute, entry)).split(sep).join('/'))
    .sort();
}

function addFiles(hash: Hash, label: string, root: string, paths: readonly string[]): void {
  for (const path of paths) {
    const files = filesUnder(root, path);
    // An absent path is hashed as absent: creating it later must change the key.
    if (files.length === 0) addField(hash, `${label} empty`, path);
    for (const file of files) addField(hash, `${label} ${file}`, readFileSync(join(root, file)));
  }
}

/** The hex SHA-256 of every input; equal keys mean synthesis would write the same assembly. */
export function assemblyKey(inputs: AssemblyInputs): string {
  const hash = createHash('sha256');
  addField(hash, 'environment', inputs.environment);
  addField(hash, 'context', JSON.stringify(inputs.context));
  addField(hash, 'variables', JSON.stringify(inputs.variables));
  addField(hash, 'contracts root', inputs.contractsRoot);
  addFiles(hash, 'contract', inputs.contractsRoot, ['.']);
  addField(hash, 'code root', inputs.codeRoot);
  addFiles(hash, 'code', inputs.codeRoot, inputs.code);
  return hash.digest('hex');
}
