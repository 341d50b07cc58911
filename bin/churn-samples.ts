/**
 * `npm run samples:churn [-- --seed <n>] [--customers <n>] [--lake <dir>] [--delivered-at <iso>]`:
 * writes the churn example's seeded sample deliveries (customers, orders, web events: every file
 * valid against its contract, the same bytes for the same seed and delivery time, by default the
 * shipped samples' `2026-11-21T06:00:00Z`) into `<lake>/samples/churn/` (default `.lake/`), to land
 * with `npx lakehouse run --ingest-time` that time. Exit 0 written; 2 usage error or a project
 * without the churn example's spec.
 */
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../lib/contracts/load.ts';
import type { Catalog } from '../lib/contracts/model.ts';
import { ContractError } from '../lib/contracts/problems.ts';
import { readCdkJsonContext } from '../lib/config/cdk-json.ts';
import { readSettings, SettingsError, SETTINGS_FILE } from '../lib/config/settings.ts';
import { CHURN_EXAMPLE_MODEL, churnSamplesFolder, writeChurnSampleFiles } from '../lib/local/samples/churn-sample-files.ts';
import { DEFAULT_WORKSPACE } from '../lib/local/workspace.ts';
import { loadMlModels } from '../lib/ml/load.ts';
import type { MlModel } from '../lib/ml/model.ts';
import { CHURN_SAMPLE_DEFAULTS } from '../lib/ml/samples/churn-samples.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const usage = 'usage: npm run samples:churn [-- --seed <n>] [--customers <n>] [--lake <dir>] [--delivered-at <iso>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function wholeNumber(name: string, text: string | undefined, fallback: number, minimum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) fail(`--${name}: expected a whole number of ${minimum} or more, got '${text}'`);
  return value;
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({ options: { seed: { type: 'string' }, customers: { type: 'string' }, lake: { type: 'string' }, 'delivered-at': { type: 'string' } } }));
} catch (error) {
  fail((error as Error).message);
}
const seed = wholeNumber('seed', values.seed, CHURN_SAMPLE_DEFAULTS.seed, 0);
const customers = wholeNumber('customers', values.customers, CHURN_SAMPLE_DEFAULTS.customers, 1);
const deliveredAt = values['delivered-at'] === undefined ? CHURN_SAMPLE_DEFAULTS.deliveredAt : new Date(values['delivered-at']);
if (Number.isNaN(deliveredAt.getTime())) fail(`--delivered-at: expected an ISO-8601 time, got '${values['delivered-at']}'`);

let catalog: Catalog;
let model: MlModel | undefined;
try {
  catalog = loadCatalog(join(projectRoot, 'contracts'));
  const settings = readSettings(readCdkJsonContext(join(projectRoot, SETTINGS_FILE)), process.env);
  model = (await loadMlModels(catalog, () => settings)).find((candidate) => candidate.id === CHURN_EXAMPLE_MODEL);
} catch (error) {
  // Each problem at its file:line:column, as `npx lakehouse contracts check` prints them.
  if (!(error instanceof ContractError || error instanceof SettingsError)) throw error;
  fail(error.message);
}
if (model === undefined) fail(`the project has no ML model '${CHURN_EXAMPLE_MODEL}' (contracts/marketing/ml/churn.yaml)`);

const folder = churnSamplesFolder(values.lake ?? join(projectRoot, DEFAULT_WORKSPACE));
for (const { dataset, file, rows } of writeChurnSampleFiles({ catalog, model, seed, customers, deliveredAt, folder })) {
  // Inside the working directory a path reads best relative to it; elsewhere (--lake), absolute.
  const inside = relative(process.cwd(), file);
  process.stdout.write(`${dataset.names.ref}: ${inside.startsWith('..') || isAbsolute(inside) ? file : inside} (${rows} rows)\n`);
}
process.stdout.write(`land them with: npx lakehouse run <dataset> <file> --ingest-time ${deliveredAt.toISOString()}\n`);
