/**
 * `npm run demo`: what a new user runs after cloning. Checks every contract, synthesizes every
 * environment of `cdk.json` (no AWS account needed), prints what each would deploy, and
 * validates every shipped sample as the validator Lambda would.
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
import { renderTable } from '../lib/cli/table.ts';
import { validateFile } from '../lib/validation/validate-file.ts';

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

step('Validating every sample (delivered 2026-11-21T06:00:00Z) against its contract');
const deliveredAt = new Date('2026-11-21T06:00:00Z');
const rows: string[][] = [];
for (const domain of catalog.domains) {
  for (const dataset of domain.datasets) {
    const extension = dataset.format === 'json' ? 'jsonl' : dataset.format;
    for (const variant of ['', '.broken']) {
      const file = join('contracts', domain.name, 'samples', `${dataset.name}${variant}.${extension}`);
      const { report } = await validateFile({ dataset, file: join(repo, file), displayName: file, ingestTime: deliveredAt });
      const failed = report.rules.filter((rule) => !rule.passed && rule.severity === 'error').map((rule) => rule.id);
      rows.push([
        dataset.names.ref,
        file,
        report.passed ? 'passed' : 'FAILED',
        String(report.rowCount),
        String(report.rowsPassed),
        String(report.rowsQuarantined),
        failed.length > 3 ? `${failed.slice(0, 3).join(', ')} +${failed.length - 3}` : failed.join(', '),
      ]);
    }
  }
}
process.stdout.write(`${renderTable(['DATASET', 'FILE', 'VERDICT', 'ROWS', 'PASSED', 'QUARANTINED', 'FAILED RULES'], rows)}\n`);
process.stdout.write(`\nSee one report in full: npx lakehouse validate --contract contracts/sales/orders.yaml contracts/sales/samples/orders.broken.csv --ingest-time 2026-11-21T06:00:00Z\n`);
