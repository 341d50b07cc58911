/**
 * `npm run demo`: what a new user runs after cloning. Checks every contract, synthesizes every
 * environment of `cdk.json` (no AWS account needed) and prints what each would deploy, then runs
 * every shipped sample through its dataset's synthesized pipeline offline, in a clean `.lake/`
 * (`--lake <dir>` puts it elsewhere), shows that running a file again duplicates nothing, and
 * builds and tests the example models on the loaded tables, as `lakehouse build` does.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readCdkJsonContext } from '../lib/config/cdk-json.ts';
import { SettingsError } from '../lib/config/settings.ts';
import { checkCatalog } from '../lib/contracts/load.ts';
import type { Dataset } from '../lib/contracts/model.ts';
import { ContractError, formatProblem } from '../lib/contracts/problems.ts';
import { renderDeploymentSummary, summarizeDeployment } from '../lib/docs/deployment-summary.ts';
import { LocalPipelineRuntime, type PipelineRun } from '../lib/local/runtime/pipeline-runtime.ts';
import type { SynthesizedEnvironment } from '../lib/local/runtime/synthesized-environment.ts';
import { createLakehouseApp } from '../lib/stacks/create-lakehouse-app.ts';
import { offlineEnvironmentOf } from '../lib/cli/offline-environment.ts';
import { replayRowCountProblem } from '../lib/cli/replay-row-count.ts';
import { renderTable } from '../lib/cli/table.ts';
import type { BuildModelOutcome } from '../lib/local/runtime/build-outcomes.ts';
import { MODEL_OUTCOME_HEADINGS, modelOutcomeCells } from '../lib/cli/build-outcome-table.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const contractsRoot = join(repo, 'contracts');
const { values } = parseArgs({ options: { lake: { type: 'string' } } });
const workspace = values.lake ?? join(repo, '.lake');
/** Every shipped sample was delivered at this time (see the samples' READMEs). */
const DELIVERED_AT = new Date('2026-11-21T06:00:00Z');
const ENVIRONMENT = 'dev';

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

function step(title: string): void {
  say(`\n== ${title}`);
}

step('Checking contracts');
const { catalog, problems } = checkCatalog(contractsRoot);
if (!catalog) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
for (const domain of catalog.domains) {
  say(`  ${domain.name}: ${domain.datasets.map((dataset) => dataset.name).join(', ')} (owner ${domain.owner.team})`);
}

step('Synthesizing every environment (cdk-nag AwsSolutions checks included)');
const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-demo-'));
let environment: SynthesizedEnvironment;
try {
  const started = performance.now();
  const lakehouse = await createLakehouseApp(contractsRoot, { outdir, context: readCdkJsonContext(join(repo, 'cdk.json')) });
  lakehouse.app.synth();
  say(`  ${lakehouse.stages.length} environments synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  environment = offlineEnvironmentOf(lakehouse, ENVIRONMENT);
  // Read now: the definitions live in the cloud assembly, which is deleted below.
  await environment.stateMachines();

  step('What `npx cdk deploy <env>/*` would deploy');
  say(renderDeploymentSummary(summarizeDeployment(lakehouse.stages)));
} catch (error) {
  if (!(error instanceof SettingsError || error instanceof ContractError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

step(`Running every sample through its pipeline offline (${ENVIRONMENT}, delivered ${DELIVERED_AT.toISOString().replace('.000Z', 'Z')})`);
const insideHere = relative(process.cwd(), workspace);
const shownWorkspace = insideHere === '' || insideHere.startsWith('..') || isAbsolute(insideHere) ? workspace : insideHere;
if (existsSync(workspace)) {
  rmSync(workspace, { recursive: true, force: true });
  say(`  deleted ${shownWorkspace}/ first: the demo starts from a clean workspace`);
}
let showProgress = true;
const runtime = await LocalPipelineRuntime.start({
  projectRoot: repo,
  workspace,
  synthesized: environment,
  log: (line) => {
    if (showProgress) say(`      ${line}`);
  },
});

interface Delivery {
  readonly dataset: Dataset;
  readonly file: string;
  readonly run: PipelineRun;
}

function sampleFile(dataset: Dataset, variant: '' | '.broken'): string {
  const extension = dataset.format === 'json' ? 'jsonl' : dataset.format;
  return join('contracts', dataset.domain, 'samples', `${dataset.name}${variant}.${extension}`);
}

function outcome(run: PipelineRun): string {
  if (run.status === 'SUCCEEDED') return run.rowsQuarantined === 0 ? 'SUCCEEDED' : 'SUCCEEDED, rows quarantined';
  return run.rejected ? 'FAILED: rejected' : `${run.status}: ${run.error ?? ''}`;
}

async function deliver(dataset: Dataset, file: string): Promise<Delivery> {
  const run = await runtime.run(dataset.names.ref, join(repo, file), { ingestTime: DELIVERED_AT });
  say(
    `  ${run.status === 'SUCCEEDED' ? '✓' : '✗'} ${dataset.names.ref} ${file}: ${outcome(run)}, ` +
      `${run.rowsLoaded} loaded, ${run.rowsQuarantined} quarantined`,
  );
  return { dataset, file, run };
}

const deliveries: Delivery[] = [];
let models: BuildModelOutcome[] = [];
let failedBuilds: string[] = [];
try {
  for (const domain of catalog.domains) {
    for (const dataset of domain.datasets) {
      for (const variant of ['', '.broken'] as const) {
        if (showProgress) say(`  ${dataset.names.ref} ${sampleFile(dataset, variant)}, state by state:`);
        deliveries.push(await deliver(dataset, sampleFile(dataset, variant)));
        showProgress = false;
      }
    }
  }
  const alerts = deliveries.filter(({ run }) => run.rejected || run.rowsQuarantined > 0).length;
  say(`  ${alerts} alerts in ${shownWorkspace}/alerts.log; reports under ${shownWorkspace}/s3/${runtime.buckets.audit}/reports/`);

  const again = deliveries.find(({ run }) => run.status === 'SUCCEEDED' && run.rowsQuarantined === 0)!;
  step(`Running ${again.file} again: loads are idempotent, nothing is duplicated`);
  const before = runtime.tableRowCount(again.dataset);
  deliveries.push(await deliver(again.dataset, again.file));
  const after = runtime.tableRowCount(again.dataset);
  say(`  rows in ${again.run.table}: ${before} before, ${after} after`);
  const replayProblem = replayRowCountProblem({ file: again.file, table: again.run.table, before, after });
  if (replayProblem !== undefined) {
    process.stderr.write(`demo: ${replayProblem}\n`);
    process.exitCode = 1;
  }

  step("Building and testing the models: each domain's build state machine, as `npx lakehouse build` runs it");
  const builds = await runtime.build();
  models = builds.flatMap((run) => run.models);
  failedBuilds = builds.filter((run) => run.status !== 'SUCCEEDED').map((run) => `${run.stateMachine} ${run.status} (${run.error ?? ''})`);
  say(renderTable(MODEL_OUTCOME_HEADINGS, models.map(modelOutcomeCells)));

  step('Summary');
  say(
    renderTable(
      ['DATASET', 'FILE', 'PIPELINE', 'ROWS LOADED', 'ROWS QUARANTINED', 'TABLE ROWS'],
      deliveries.map(({ dataset, file, run }) => [
        dataset.names.ref,
        file,
        outcome(run),
        String(run.rowsLoaded),
        String(run.rowsQuarantined),
        String(runtime.tableRowCount(dataset)),
      ]),
    ),
  );
  const lakeFlag = values.lake === undefined ? '' : ` --lake ${values.lake}`;
  say('\nTry next:');
  say(`  npx lakehouse query 'SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status'${lakeFlag}`);
  say(`  npx lakehouse quarantine list${lakeFlag}`);
  say(`  npx lakehouse compile sales/daily_revenue --dialect athena`);
  say(`  npx lakehouse build +marketing/campaign_summary${lakeFlag}`);
} finally {
  await runtime.close();
}
const unexpected = deliveries.filter(({ run }) => run.status !== 'SUCCEEDED' && !run.rejected);
if (unexpected.length > 0) {
  process.stderr.write(`demo: ${unexpected.map(({ file, run }) => `${file} ${run.status} (${run.error ?? ''})`).join(', ')}\n`);
  process.exitCode = 1;
}
const unbuilt = models.filter((outcome) => outcome.status !== 'published');
if (failedBuilds.length > 0 || unbuilt.length > 0) {
  const problems = [...failedBuilds, ...unbuilt.map((outcome) => `${outcome.model} ${outcome.status}${outcome.message === undefined ? '' : ` (${outcome.message})`}`)];
  process.stderr.write(`demo: ${problems.join(', ')}\n`);
  process.exitCode = 1;
}
