/**
 * `npm run demo`: what a new user runs after cloning. Checks every contract, synthesizes every
 * environment of `cdk.json` (no AWS account needed) and prints what each would deploy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCdkJsonContext } from '../lib/config/cdk-json.ts';
import { SettingsError } from '../lib/config/settings.ts';
import { checkCatalog } from '../lib/contracts/load.ts';
import { ContractError, formatProblem } from '../lib/contracts/problems.ts';
import { renderDeploymentSummary, summarizeDeployment } from '../lib/docs/deployment-summary.ts';
import { createLakehouseApp } from '../lib/stacks/create-lakehouse-app.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const contractsRoot = join(repo, 'contracts');

function step(title: string): void {
  process.stdout.write(`\n== ${title}\n`);
}

step('Checking contracts');
const { catalog, problems } = checkCatalog(contractsRoot);
if (!catalog) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
for (const domain of catalog.domains) {
  process.stdout.write(`  ${domain.name}: ${domain.datasets.map((dataset) => dataset.name).join(', ')} (owner ${domain.owner.team})\n`);
}

step('Synthesizing every environment (cdk-nag AwsSolutions checks included)');
const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-demo-'));
try {
  const started = performance.now();
  const { app, stages } = createLakehouseApp(contractsRoot, { outdir, context: readCdkJsonContext(join(repo, 'cdk.json')) });
  app.synth();
  process.stdout.write(`  ${stages.length} environments synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  step('What `npx cdk deploy <env>/*` would deploy');
  process.stdout.write(`${renderDeploymentSummary(summarizeDeployment(stages))}\n`);
} catch (error) {
  if (!(error instanceof SettingsError || error instanceof ContractError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
