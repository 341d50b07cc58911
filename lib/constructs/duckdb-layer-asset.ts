/**
 * The DuckDB Lambda layer's directory, assembled from the installed packages without network:
 * `nodejs/node_modules/` (where Lambda's Node.js runtimes look for layer packages) holding
 * `@duckdb/node-api`, its linux-x64 native binding and their runtime dependencies.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSET_CACHE_ROOT, fillOnce, linkTree } from './asset-cache.ts';

/** The binding Lambda's x86_64 Node.js runtimes (glibc) load. */
export const LINUX_BINDING = '@duckdb/node-bindings-linux-x64';
const API = '@duckdb/node-api';
const BINDINGS = '@duckdb/node-bindings';

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
}

export interface DuckDbLayerAsset {
  /** The layer's root, holding `nodejs/node_modules/`. */
  readonly directory: string;
  /** Derived from the packages' names and versions: the asset hash, computed without reading 70 MB. */
  readonly hash: string;
  /** The `@duckdb/node-api` version, e.g. `1.5.6-r.1`. */
  readonly duckDbVersion: string;
  readonly packages: readonly InstalledPackage[];
}

export interface DuckDbLayerAssetOptions {
  /** Where package lookup starts, as Node's resolution walks up to each `node_modules`. @default this project */
  readonly resolveFrom?: string;
  /** @default `node_modules/.cache/contract-lakehouse/` */
  readonly cacheRoot?: string;
}

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** Node's lookup of a package directory, without `exports` (we want the whole package, not an entry point). */
function findPackage(name: string, from: string): InstalledPackage | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      const manifest = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as PackageJson;
      return { name, version: manifest.version, directory: candidate };
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function dependenciesOf(found: InstalledPackage): string[] {
  const manifest = JSON.parse(readFileSync(join(found.directory, 'package.json'), 'utf8')) as PackageJson;
  return Object.keys(manifest.dependencies ?? {});
}

function installHint(version: string): string {
  return `npm install --no-save --os=linux --cpu=x64 ${LINUX_BINDING}@${version}`;
}

/**
 * `@duckdb/node-api`, the linux-x64 binding (npm installs only the current machine's binding,
 * so on macOS it must be added explicitly) and every runtime dependency of either, once each.
 */
export function layerPackages(resolveFrom: string): InstalledPackage[] {
  const api = findPackage(API, resolveFrom);
  if (api === undefined) throw new Error(`${API} is not installed (looked from ${resolveFrom}): run npm install`);
  const bindings = findPackage(BINDINGS, api.directory);
  if (bindings === undefined) throw new Error(`${BINDINGS}, a dependency of ${API}, is not installed: run npm install`);
  const binding = findPackage(LINUX_BINDING, bindings.directory);
  if (binding === undefined || binding.version !== bindings.version) {
    const found = binding === undefined ? 'it is not installed' : `version ${binding.version} is installed`;
    throw new Error(
      `the DuckDB Lambda layer needs ${LINUX_BINDING}@${bindings.version} (the version of ${BINDINGS}), but ${found}; ` +
        `npm installs only the binding of the machine it runs on. Add it with: ${installHint(bindings.version)}`,
    );
  }
  const packages = new Map<string, InstalledPackage>();
  const pending = [api, binding];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const seen = packages.get(next.name);
    if (seen !== undefined) {
      if (seen.version !== next.version) throw new Error(`the DuckDB layer would need two versions of ${next.name}: ${seen.version} and ${next.version}`);
      continue;
    }
    packages.set(next.name, next);
    for (const dependency of dependenciesOf(next)) {
      const found = findPackage(dependency, next.directory);
      if (found === undefined) throw new Error(`${dependency}, a dependency of ${next.name}, is not installed: run npm install`);
      pending.push(found);
    }
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const PROJECT_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
const built = new Map<string, DuckDbLayerAsset>();

/**
 * The layer directory in the asset cache, keyed by the packages' versions: built (hard-linked
 * from `node_modules`) on the first synth after an install, reused afterwards.
 */
export function duckDbLayerAsset(options: DuckDbLayerAssetOptions = {}): DuckDbLayerAsset {
  const resolveFrom = options.resolveFrom ?? PROJECT_DIRECTORY;
  const cacheRoot = options.cacheRoot ?? ASSET_CACHE_ROOT;
  const memoKey = `${resolveFrom}\n${cacheRoot}`;
  const memo = built.get(memoKey);
  if (memo !== undefined) return memo;

  const packages = layerPackages(resolveFrom);
  const hash = createHash('sha256')
    .update(packages.map((found) => `${found.name}@${found.version}`).join('\n'))
    .digest('hex');
  const duckDbVersion = packages.find((found) => found.name === API)!.version;
  const directory = fillOnce(join(cacheRoot, `duckdb-layer-${duckDbVersion}-${hash.slice(0, 12)}`), (staging) => {
    for (const found of packages) linkTree(found.directory, join(staging, 'nodejs', 'node_modules', found.name));
  });
  const asset: DuckDbLayerAsset = { directory, hash, duckDbVersion, packages };
  built.set(memoKey, asset);
  return asset;
}
