/**
 * `npm run demo`: what a new user runs after cloning. Checks every contract, synthesizes every
 * environment of `cdk.json` (no AWS account needed) and prints what each would deploy, then runs
 * every shipped sample through its dataset's synthesized pipeline offline, in a clean `.lake/`
 * (`--lake <dir>` puts it elsewhere), shows that running a file again duplicates nothing, and
 * builds and tests the example models on the loaded tables, as `lakehouse build` does. Then the
 * example ML model end to end: seeded churn samples landed through their pipelines, the feature
 * model rebuilt, a training run gated by the spec's thresholds and registered pending manual
 * approval, the approval that promotes it (batch inference), a few of its predictions, and the
 * lineage of one. Last, the docs site generated from the contracts and the runs' reports, in
 * `<workspace>/docs/`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
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
import { checkTemplateLimits } from '../lib/stacks/template-limits.ts';
import { offlineEnvironmentOf } from '../lib/cli/offline-environment.ts';
import { replayRowCountProblem } from '../lib/cli/replay-row-count.ts';
import { renderTable } from '../lib/cli/table.ts';
import type { BuildModelOutcome } from '../lib/local/runtime/build-outcomes.ts';
import { MODEL_OUTCOME_HEADINGS, modelOutcomeCells } from '../lib/cli/build-outcome-table.ts';
import { ExitCode } from '../lib/cli/exit-codes.ts';
import { runCli } from '../lib/cli/main.ts';
import { recordMetrics } from '../lib/cli/commands/training-record.ts';
import { glueDatabaseName, modelPackageGroupName, predictionsTableName } from '../lib/config/names.ts';
import { lineageLines, predictionKeyText } from '../lib/cli/lineage-report.ts';
import { openBuildConnection } from '../lib/local/runtime/build-connection.ts';
import { quoteIdentifier } from '../lib/sql/ansi.ts';
import { relation } from '../lib/transforms/render.ts';
import { environmentMlModels } from '../lib/local/ml/environment-models.ts';
import { workspaceModelRegistry } from '../lib/local/ml/workspace-registry.ts';
import { CHURN_EXAMPLE_MODEL, churnSamplesFolder, writeChurnSampleFiles } from '../lib/local/samples/churn-sample-files.ts';
import { CHURN_SAMPLE_DEFAULTS } from '../lib/ml/samples/churn-samples.ts';
import { gateDecisions } from '../lib/ml/threshold-gates.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const contractsRoot = join(repo, 'contracts');
const { values } = parseArgs({ options: { lake: { type: 'string' } } });
const workspace = values.lake ?? join(repo, '.lake');
/** How the commands the demo shows name its workspace: by default, as they find it. */
const lakeFlag = values.lake === undefined ? '' : ` --lake ${values.lake}`;
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
  checkTemplateLimits(lakehouse);
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

/** A file of the workspace as the output shows it: under the workspace's name as shown. */
function shownFile(file: string): string {
  return join(shownWorkspace, relative(workspace, file));
}

/** Runs `file` (relative to the project, or absolute) through the dataset's pipeline; `shown` is how the output names it. */
async function deliver(dataset: Dataset, file: string, shown = file): Promise<Delivery> {
  const run = await runtime.run(dataset.names.ref, resolve(repo, file), { ingestTime: DELIVERED_AT });
  say(
    `  ${run.status === 'SUCCEEDED' ? '✓' : '✗'} ${dataset.names.ref} ${shown}: ${outcome(run)}, ` +
      `${run.rowsLoaded} loaded, ${run.rowsQuarantined} quarantined`,
  );
  return { dataset, file: shown, run };
}

/** How the ML steps ended, for the exit code: each problem a sentence. */
const mlProblems: string[] = [];

/**
 * The example ML model end to end, on the runtime's services: seeded samples landed, the feature
 * model rebuilt, one training run (metrics and each threshold's decision), the version it
 * registered pending manual approval, approved (the promotion scores the feature table), a few
 * predictions as `lakehouse query` shows them, and one traced as `lakehouse models lineage` does.
 */
async function demonstrateMlModel(): Promise<void> {
  const model = (await environmentMlModels(environment)).find((candidate) => candidate.id === CHURN_EXAMPLE_MODEL);
  if (model === undefined) {
    say(`  no ML model ${CHURN_EXAMPLE_MODEL} in the contracts: nothing to train`);
    return;
  }
  const folder = churnSamplesFolder(workspace);
  const { seed, customers } = CHURN_SAMPLE_DEFAULTS;
  say(`  seeded samples for ${customers} customers (seed ${seed}), as \`npm run samples:churn\` writes them, through their pipelines:`);
  for (const { dataset, file } of writeChurnSampleFiles({ catalog: environment.catalog, model, ...CHURN_SAMPLE_DEFAULTS, folder })) {
    deliveries.push(await deliver(dataset, file, shownFile(file)));
  }
  const [featureBuild] = await runtime.build(model.featureModel);
  const features = featureBuild?.models.filter((outcome) => outcome.model === model.featureModel) ?? [];
  say(`  rebuilt the feature model, as \`npx lakehouse build ${model.featureModel}\` does:`);
  say(renderTable(MODEL_OUTCOME_HEADINGS, features.map(modelOutcomeCells)));
  if (features[0]?.status !== 'published') mlProblems.push(`${model.featureModel} was not published`);

  say(`\n  \`npx lakehouse models train ${model.id}\`: the synthesized training machine, the local random forest standing in for SageMaker's XGBoost`);
  const run = await runtime.train(model.id);
  const record = run.record;
  const metrics = record === undefined ? {} : recordMetrics(record);
  say(`    ${run.status}, run ${record?.runId ?? '-'} on feature snapshot ${String(record?.['featureSnapshotId'] ?? '-')}`);
  say(`    metrics: ${Object.entries(metrics).map(([name, value]) => `${name}=${value.toFixed(3)}`).join(' ')}`);
  for (const gate of gateDecisions(model.thresholds, metrics)) {
    say(`    threshold ${gate.threshold}: ${gate.observed === null ? 'not reported' : gate.observed.toFixed(3)} ${gate.passed ? 'passed' : 'FAILED'}`);
  }
  const registered = record?.outcome as { status?: string; version?: number } | undefined;
  if (registered?.status !== 'registered' || registered.version === undefined) {
    mlProblems.push(`${model.id}: the training run registered no version (${run.status}, ${registered?.status ?? 'no record'})`);
    return;
  }

  const { identity } = environment;
  const group = modelPackageGroupName(identity, model.domain, model.name);
  const pending = await workspaceModelRegistry(runtime.paths, identity).describeVersion(group, registered.version);
  say(`    registered version ${pending.version} of ${group}: ${pending.approval} (the spec asks for manual approval)`);

  const indented = (text: string): void => say(text.replace(/^/gm, '    ').trimEnd());
  // The command itself, in this process, on the same workspace: its checks, the description it
  // records, the approval event it delivers to the promotion machine, and its exit code.
  const reason = 'approved in the demo';
  const approve = ['models', 'approve', model.id, String(pending.version), '--reason', reason, '--lake', workspace];
  say(`\n  npx lakehouse models approve ${model.id} ${pending.version} --reason '${reason}'${lakeFlag}: the approval event starts the synthesized promotion machine`);
  // What the command writes to stderr (the promotion's states as they run) is shown only if it fails, as for every pipeline run after the first.
  const progress: string[] = [];
  const approved = await runCli(approve, { out: indented, err: (text) => progress.push(text) });
  if (approved !== ExitCode.success) {
    for (const text of progress) indented(text);
    mlProblems.push(`${model.id}: \`lakehouse models approve ${model.id} ${pending.version}\` exited ${approved}`);
    return;
  }
  const sql = `SELECT * FROM ${predictionsTableName(model.name)} ORDER BY ${model.key.join(', ')} LIMIT 5`;
  say(`\n  npx lakehouse query '${sql}'${lakeFlag}`);
  await runCli(['query', sql, '--lake', workspace], { out: indented, err: indented });

  // The first customer scored, by key: its prediction traced back to the data it learned from.
  const connection = await openBuildConnection(runtime.lake);
  let first: Record<string, string> | undefined;
  try {
    const keys = model.key.map(quoteIdentifier).join(', ');
    const table = relation(glueDatabaseName(identity, model.domain), predictionsTableName(model.name));
    const rows = (await connection.connection.runAndReadAll(`SELECT ${keys} FROM ${table} ORDER BY ${keys} LIMIT 1`)).getRowObjectsJson();
    first = rows[0] === undefined ? undefined : Object.fromEntries(model.key.map((column) => [column, String(rows[0]![column])]));
  } finally {
    connection.close();
  }
  if (first === undefined) {
    mlProblems.push(`${model.id}: the promotion wrote no prediction`);
    return;
  }
  say(`\n  \`npx lakehouse models lineage ${model.id} --prediction ${predictionKeyText(first)}\`: the prediction, the version, its run, its training set and snapshots, the contracts`);
  const lineage = await runtime.predictionLineage(model.id, predictionKeyText(first));
  if (!lineage.found) {
    mlProblems.push(`${model.id}: no lineage for ${predictionKeyText(first)}`);
    return;
  }
  for (const line of lineageLines(lineage.lineage)) say(`  ${line}`);
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

  step(`The example ML model (${CHURN_EXAMPLE_MODEL}): samples, training, the threshold gate, approval, batch inference, lineage`);
  await demonstrateMlModel();

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
  say('\nTry next:');
  say(`  npx lakehouse query 'SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status'${lakeFlag}`);
  say(`  npx lakehouse quarantine list${lakeFlag}`);
  say(`  npx lakehouse compile sales/daily_revenue --dialect athena`);
  say(`  npx lakehouse build +marketing/campaign_summary${lakeFlag}`);
} finally {
  await runtime.close();
}
step('The docs site: catalog, lineage and validation history, as `npx lakehouse docs` generates it');
const docsPrinted: string[] = [];
const docsMessages: string[] = [];
const docsExit = await runCli(['docs', '--out', join(workspace, 'docs'), '--lake', workspace, '--contracts', contractsRoot, '--env', ENVIRONMENT], {
  out: (text) => docsPrinted.push(text.trim()),
  err: (text) => docsMessages.push(text.trim()),
});
if (docsExit === ExitCode.success) {
  say(`  ${docsMessages.join('; ')}; open in a browser:\n  ${shownFile(docsPrinted[0]!)}`);
  say(`  again after more runs: npx lakehouse docs --out ${shownWorkspace}/docs${lakeFlag}`);
} else {
  process.stderr.write(`demo: lakehouse docs exited ${docsExit}:\n${docsMessages.join('\n')}\n`);
  process.exitCode = 1;
}

const unexpected = deliveries.filter(({ run }) => run.status !== 'SUCCEEDED' && !run.rejected);
if (unexpected.length > 0) {
  process.stderr.write(`demo: ${unexpected.map(({ file, run }) => `${file} ${run.status} (${run.error ?? ''})`).join(', ')}\n`);
  process.exitCode = 1;
}
const unbuilt = models.filter((outcome) => outcome.status !== 'published');
if (failedBuilds.length > 0 || unbuilt.length > 0 || mlProblems.length > 0) {
  const problems = [...failedBuilds, ...unbuilt.map((outcome) => `${outcome.model} ${outcome.status}${outcome.message === undefined ? '' : ` (${outcome.message})`}`), ...mlProblems];
  process.stderr.write(`demo: ${problems.join(', ')}\n`);
  process.exitCode = 1;
}
