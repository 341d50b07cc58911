/**
 * The CDK app (`cdk.json` runs it with `npx tsx bin/app.ts`). Problems in `cdk.json` or in the
 * contracts end the synth with their messages and exit code 1, never with a stack trace.
 */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { readSettings, SettingsError } from '../lib/config/settings.ts';
import { loadCatalog } from '../lib/contracts/load.ts';
import { ContractError } from '../lib/contracts/problems.ts';
import { enableNagChecks } from '../lib/nag/nag-checks.ts';
import { buildLakehouseApp } from '../lib/stacks/lakehouse-app.ts';

const CONTRACTS_ROOT = fileURLToPath(new URL('../contracts', import.meta.url));

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const app = new App({ postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': true } });
try {
  const settings = readSettings(app.node.getAllContext(), process.env);
  const catalog = loadCatalog(CONTRACTS_ROOT, settings.domains === undefined ? {} : { domains: settings.domains });
  buildLakehouseApp(app, catalog, settings);
} catch (error) {
  if (error instanceof SettingsError || error instanceof ContractError) exitWith(error.message);
  throw error;
}
enableNagChecks(app);
app.synth();
