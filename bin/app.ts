/**
 * The CDK app (`cdk.json` runs it with `npx tsx bin/app.ts`). Problems in `cdk.json` or in the
 * contracts, and a template over CloudFormation's limits, end the synth with their messages and
 * exit code 1, never with a stack trace.
 */
import { fileURLToPath } from 'node:url';
import { SettingsError } from '../lib/config/settings.ts';
import { ContractError } from '../lib/contracts/problems.ts';
import { createLakehouseApp } from '../lib/stacks/create-lakehouse-app.ts';
import { checkTemplateLimits } from '../lib/stacks/template-limits.ts';

const CONTRACTS_ROOT = fileURLToPath(new URL('../contracts', import.meta.url));

try {
  const lakehouse = await createLakehouseApp(CONTRACTS_ROOT);
  lakehouse.app.synth();
  checkTemplateLimits(lakehouse);
} catch (error) {
  if (!(error instanceof SettingsError || error instanceof ContractError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
