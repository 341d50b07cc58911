/**
 * Lambda code built at synth without network: a handler entry point bundled once per process
 * with esbuild, staged with any files it reads next to it (the validator's `dataset.json`, its
 * dataset's compiled contract). Not `NodejsFunction`: it bundles again for every function, and
 * its `nodeModules` runs npm.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { Dataset } from '../contracts/model.ts';
import { DATASET_FILE } from '../ingest/validator-settings.ts';
import { ASSET_CACHE_ROOT, fillOnce, linkTree } from './asset-cache.ts';
import { LinkedAssetCode } from './linked-asset-code.ts';

const PROJECT_DIRECTORY = fileURLToPath(new URL('../..', import.meta.url));
const VALIDATOR_ENTRY_POINT = 'lambdas/validate/index.ts';

/** Every bundle is `index.js` exporting `handler`. */
export const HANDLER = 'index.handler';

export interface Bundle {
  /** Directory holding `index.js`. */
  readonly directory: string;
  readonly hash: string;
}

const bundles = new Map<string, Bundle>();

function sha256(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/**
 * Bundles a handler entry point (a path from the project root), once per process: CommonJS,
 * because ESM ignores `NODE_PATH` and so could not load DuckDB from the layer's
 * `/opt/nodejs/node_modules`; `@duckdb/*` left to the layer; the AWS SDK bundled, so the code
 * runs on the SDK version it was tested with. The bundle lands in the asset cache under the hash
 * of its bytes, which changes exactly when one of its inputs does.
 */
export function bundleHandler(entryPoint: string): Bundle {
  const existing = bundles.get(entryPoint);
  if (existing !== undefined) return existing;
  const result = buildSync({
    absWorkingDir: PROJECT_DIRECTORY,
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@duckdb/*'],
    minify: true,
    sourcemap: false,
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    // A warning in a CommonJS bundle (an `import.meta`, a dynamic require) is a broken handler at runtime.
    throw new Error(`bundling ${entryPoint} warned:\n${result.warnings.map((warning) => `  ${warning.text}`).join('\n')}`);
  }
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`bundling ${entryPoint} produced no output`);
  const hash = sha256(output.text);
  const directory = fillOnce(join(ASSET_CACHE_ROOT, `bundle-${hash.slice(0, 16)}`), (staging) =>
    writeFileSync(join(staging, 'index.js'), output.contents),
  );
  const bundle = { directory, hash };
  bundles.set(entryPoint, bundle);
  return bundle;
}

/** The directory a function's code is staged from: the bundle plus `files` (name -> contents). */
export function stagedHandler(entryPoint: string, files: Readonly<Record<string, string>> = {}): Bundle {
  const bundle = bundleHandler(entryPoint);
  const names = Object.keys(files).sort();
  if (names.length === 0) return bundle;
  const hash = sha256(bundle.hash, ...names.flatMap((name) => [name, files[name]!]));
  const directory = fillOnce(join(ASSET_CACHE_ROOT, `function-${hash.slice(0, 16)}`), (staging) => {
    linkTree(bundle.directory, staging);
    for (const name of names) writeFileSync(join(staging, name), files[name]!);
  });
  return { directory, hash };
}

/** Lambda code of a handler entry point, with `files` beside `index.js`. */
export function handlerCode(entryPoint: string, files: Readonly<Record<string, string>> = {}): LinkedAssetCode {
  const { directory, hash } = stagedHandler(entryPoint, files);
  return new LinkedAssetCode(directory, hash);
}

/**
 * The dataset model as the validator reads it back. Source files inside the project are named
 * relative to it: an absolute path would make the asset hash, so the deployed function, differ
 * between two checkouts of the same commit (a CI runner's folder and a laptop's).
 */
export function compiledContract(dataset: Dataset): string {
  return `${JSON.stringify(dataset, projectRelativeFiles, 2)}\n`;
}

function projectRelativeFiles(key: string, value: unknown): unknown {
  if (key !== 'file' || typeof value !== 'string' || !isAbsolute(value)) return value;
  const inside = relative(PROJECT_DIRECTORY, value);
  return inside.startsWith('..') || isAbsolute(inside) ? value : inside.split(sep).join('/');
}

/** The directory a dataset's validator is staged from, as Lambda unpacks it to `LAMBDA_TASK_ROOT`. */
export function stagedValidator(dataset: Dataset): Bundle {
  return stagedHandler(VALIDATOR_ENTRY_POINT, { [DATASET_FILE]: compiledContract(dataset) });
}

/** One dataset's validator code: the shared validator bundle plus its compiled contract. */
export function validatorCode(dataset: Dataset): LinkedAssetCode {
  const { directory, hash } = stagedValidator(dataset);
  return new LinkedAssetCode(directory, hash);
}
