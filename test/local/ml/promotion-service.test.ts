/**
 * An ML model's SYNTHESIZED promotion machine run offline (issue 11 items 2 to 4): the churn
 * fixture project (auto approval) and a manual twin, synthesized once for the file, the feature
 * table seeded in the local lake. `models train` registers churn's version 1 Approved and promotes
 * it; events reach the machine only through the synthesized rule; SSM, CreateModel, the batch
 * transform and the Athena statements run on the workspace's stand-ins and the local lake. Last,
 * the promotion coverage scenarios run in a workspace of their own, as the coverage run runs them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import { CoverageRun, reachCatchers, type ScenarioExecution } from '../../../lib/local/coverage/scenarios/coverage-run.ts';
import { promotionScenarios } from '../../../lib/local/coverage/scenarios/promotion-scenarios.ts';
import { currentModelVersionParameterName, inferenceRunsPrefix, modelPackageGroupName, predictionsTableName, promotionStateMachineName } from '../../../lib/config/names.ts';
import { readLocalModel, score } from '../../../lib/local/ml/local-model.ts';
import { workspaceModelRegistry } from '../../../lib/local/ml/workspace-registry.ts';
import { LocalParameterStore } from '../../../lib/local/runtime/local-parameter-store.ts';
import { LocalPipelineRuntime, type PromotionRun } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { parseS3Uri } from '../../../lib/local/runtime/s3-uri.ts';
import { stateMachineNamed } from '../../../lib/local/runtime/synthesized-environment.ts';
import { listKeys } from '../../../lib/local/runtime/zone-objects.ts';
import { workspaceAt } from '../../../lib/local/workspace.ts';
import { modelPackageStateChange } from '../../../lib/ml/model-package-state-change.ts';
import type { ModelVersion } from '../../../lib/ml/model-registry.ts';
import { PROMOTION_ERRORS, PROMOTION_STATES as S } from '../../../lib/ml/promotion-states.ts';
import { failingWith } from '../../../lib/local/coverage/scenarios/task-faults.ts';
import { runLakehouseInProcess } from '../../cli/run-cli-in-process.ts';
import { CHURN_SPEC, churnSpecWith, mlProject } from '../../ml/ml-project.ts';
import { CHURN_FEATURE_TABLE, churnFeatureDatabase, seedChurnFeatureTable } from './churn-feature-table.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const database = churnFeatureDatabase(identity);
const group = modelPackageGroupName(identity, 'marketing', 'churn');
const MODEL = 'marketing/churn';

let project: string;
let workspace: string;
let runtime: LocalPipelineRuntime;
let version1: ModelVersion;

const registry = () => workspaceModelRegistry(workspaceAt(workspace), identity);
const eventOf = (version: ModelVersion) => modelPackageStateChange(version, { account: identity.account, region: identity.region, time: new Date() });
const visited = (run: PromotionRun) => run.states.map((visit) => visit.state);

beforeAll(async () => {
  project = mlProject({ 'churn.yaml': CHURN_SPEC, 'churn_manual.yaml': churnSpecWith('approval: auto', 'approval: manual') });
  workspace = mkdtempSync(join(tmpdir(), 'promotion-service-'));
  runtime = await LocalPipelineRuntime.start({
    projectRoot: project,
    workspace,
    retryPauseMs: 0,
    waitPauseMs: 0,
    synthesized: openOfflineEnvironment({ projectRoot: project, environment: 'dev' }),
  });
  await seedChurnFeatureTable(runtime.lake, database);
}, 300_000);

afterAll(async () => {
  await runtime?.close();
  for (const folder of [workspace, project]) if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** Every prediction, in an order two reads of the same rows agree on (a key has a row per version). */
async function predictionRows(): Promise<Record<string, unknown>[]> {
  const table = predictionsTableName('churn');
  const snapshot = runtime.lake.currentSnapshot(database, table);
  if (snapshot.files.length === 0) return [];
  const files = snapshot.files.map((file) => `'${join(runtime.lake.tableDirectory(database, table), file)}'`);
  const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const reader = await duckdb.runAndReadAll(`SELECT * FROM read_parquet([${files.join(', ')}]) ORDER BY customer_id, model_version, run_id`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    duckdb.closeSync();
  }
}

/** The predictions of one version, in key order. */
async function versionRows(version: number): Promise<Record<string, unknown>[]> {
  return (await predictionRows()).filter((row) => row['model_version'] === version);
}

const currentVersion = () => new LocalParameterStore(join(workspace, 'ssm', 'parameters')).read(currentModelVersionParameterName(identity, 'marketing', 'churn'))?.Value;

/** A version registered Approved with version 1's model under a new run id. */
const approvedCopyOfVersion1 = (runId: string) =>
  registry().register({
    group,
    lineage: { ...version1.lineage, runId },
    metrics: version1.metrics,
    metricsDocument: version1.metricsDocument,
    artifact: version1.artifact,
    image: version1.image,
    approval: 'auto',
  });

async function featureRows(): Promise<Record<string, unknown>[]> {
  const snapshot = runtime.lake.currentSnapshot(database, CHURN_FEATURE_TABLE);
  const files = snapshot.files.map((file) => `'${join(runtime.lake.tableDirectory(database, CHURN_FEATURE_TABLE), file)}'`);
  const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const reader = await duckdb.runAndReadAll(
      `SELECT customer_id, CAST(marketing_opt_in AS DOUBLE) AS marketing_opt_in, CAST(orders AS DOUBLE) AS orders, revenue, CAST(web_events AS DOUBLE) AS web_events
       FROM read_parquet([${files.join(', ')}]) ORDER BY customer_id`,
    );
    return reader.getRowObjects() as Record<string, unknown>[];
  } finally {
    duckdb.closeSync();
  }
}

describe('models train of an auto-approved model', () => {
  it('delivers the new version\'s event: the promotion runs, reported under promotion in --json', async () => {
    const result = await runLakehouseInProcess(['models', 'train', MODEL, '--json', '--lake', workspace], { cwd: project });
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as { outcome: unknown; promotion: Record<string, unknown> };
    expect(document.outcome).toMatchObject({ status: 'registered', version: 1, approval: 'Approved' });
    version1 = await registry().describeVersion(group, 1);
    expect(document.promotion).toMatchObject({
      stateMachine: promotionStateMachineName(identity, 'marketing', 'churn'),
      executionArn: expect.stringContaining(':execution:'),
      status: 'SUCCEEDED',
      predictions: { table: `${database}.${predictionsTableName('churn')}`, rows: 600 },
    });
    const states = (document.promotion['states'] as { state: string }[]).map((visit) => visit.state);
    // The parameter did not exist yet: its Catch went on as no version promoted before.
    expect(states).toEqual(expect.arrayContaining([S.readCurrentVersion, S.noCurrentVersion, S.recordCurrentVersion, S.createModel, S.transform, S.insertPredictions]));
    // The version is recorded last, once its predictions are written.
    expect(states.slice(-3)).toEqual([S.insertPredictions, S.recordCurrentVersion, S.promoted]);
    // A parameter that does not exist will not exist on a retry: straight to the Catch.
    expect((document.promotion['states'] as { state: string; retries: number }[]).find((visit) => visit.state === S.readCurrentVersion)).toMatchObject({ retries: 0, outcome: 'caught' });
    const parameter = currentModelVersionParameterName(identity, 'marketing', 'churn');
    expect(new LocalParameterStore(join(workspace, 'ssm', 'parameters')).read(parameter)).toMatchObject({ Value: version1.arn, Version: 1 });
  });
});

describe('the promotion rule offline', () => {
  it('starts no execution for an event its pattern refuses: a version pending approval, a rejected one, another group', async () => {
    const machine = await stateMachineNamed(runtime.environment, promotionStateMachineName(identity, 'marketing', 'churn'));
    const before = runtime.executions.executionsOf(machine.arn).length;
    for (const approval of ['PendingManualApproval', 'Rejected'] as const) {
      expect(await runtime.deliverModelEvent(MODEL, eventOf({ ...version1, approval }))).toEqual([]);
    }
    expect(await runtime.deliverModelEvent(MODEL, eventOf({ ...version1, group: modelPackageGroupName(identity, 'marketing', 'other') }))).toEqual([]);
    expect(runtime.executions.executionsOf(machine.arn)).toHaveLength(before);
  });
});

describe('a promotion offline', () => {
  it("stamps every prediction with the version, the feature snapshot and the run, and scores it as the local model scores the key's features", async () => {
    const rows = await predictionRows();
    const features = await featureRows();
    expect(rows.map((row) => row['customer_id'])).toEqual(features.map((row) => row['customer_id']));
    const snapshotId = String(runtime.lake.currentSnapshot(database, CHURN_FEATURE_TABLE).snapshotId);
    const runIds = new Set(rows.map((row) => row['run_id']));
    expect(runIds.size).toBe(1);
    for (const row of rows) {
      expect(row).toMatchObject({ model_package_arn: version1.arn, model_version: 1, feature_snapshot_id: snapshotId });
    }
    const artifact = parseS3Uri(version1.artifact)!;
    const response = await runtime.s3.client.send(new GetObjectCommand({ Bucket: artifact.bucket, Key: artifact.key }));
    const file = join(workspace, 'model-copy.json');
    writeFileSync(file, await response.Body!.transformToByteArray());
    const expected = score(readLocalModel(file), features);
    expect(rows.map((row) => row['score'])).toEqual(expected);
    // The run's input and output stay in the audit zone, under the run id the rows carry.
    const [runId] = [...runIds] as [string];
    const keys = await listKeys(runtime.s3.client, runtime.buckets.audit, `${inferenceRunsPrefix('marketing', 'churn')}${runId}/`);
    expect(keys.map((key) => key.split('/').at(-2))).toEqual(['input', 'output']);
  });

  it('promotes once when the approval event arrives twice: the repeat ends AlreadyPromoted and adds no prediction', async () => {
    const [again, ...others] = await runtime.deliverModelEvent(MODEL, eventOf(version1));
    expect(others).toEqual([]);
    expect([again!.status, visited(again!).at(-1)]).toEqual(['SUCCEEDED', S.alreadyPromoted]);
    expect(again!.predictions.rows).toBe(0);
    expect(await predictionRows()).toHaveLength(600);
  });

  it('promotes a manually approved version when models approve approves it, and only then', async () => {
    const trained = await runtime.train('marketing/churn_manual');
    expect(trained.record?.outcome).toMatchObject({ status: 'registered', version: 1, approval: 'PendingManualApproval' });
    const approve = (...args: string[]) => runLakehouseInProcess(['models', 'approve', 'marketing/churn_manual', '1', ...args, '--lake', workspace], { cwd: project });
    const approved = await approve('--json');
    expect(approved.status, approved.stderr).toBe(0);
    const document = JSON.parse(approved.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({ previousApproval: 'PendingManualApproval', approval: 'Approved', changed: true });
    expect(document['promotion']).toMatchObject({ status: 'SUCCEEDED', predictions: { table: `${database}.${predictionsTableName('churn_manual')}`, rows: 600 } });
    expect((document['promotion'] as { states: { state: string }[] }).states.at(-1)?.state).toBe(S.promoted);
    // Approving it again changes nothing, so SageMaker emits no event: no promotion.
    const again = await approve();
    expect([again.status, again.stdout]).toEqual([0, expect.stringContaining('already Approved')]);
    expect(again.stdout).not.toContain('promotion');
  });

  it('alerts and fails a promotion whose transform cannot read its model, keeps the version served, and promotes it when the event comes again after the fix', async () => {
    // Version 2 points at an artifact that is no model: the transform job fails as SageMaker's would.
    const bad = `${version1.artifact.replace(/model\.json$/, '')}not-a-model.json`;
    const location = parseS3Uri(bad)!;
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: 'not a model' }));
    const version2 = await registry().register({
      group,
      lineage: { ...version1.lineage, runId: 'run-with-a-broken-artifact' },
      metrics: version1.metrics,
      metricsDocument: version1.metricsDocument,
      artifact: bad,
      image: version1.image,
      approval: 'auto',
    });
    const before = await predictionRows();
    const alerts = existsSync(join(workspace, 'alerts.log')) ? readFileSync(join(workspace, 'alerts.log'), 'utf8') : '';
    const [failed] = await runtime.deliverModelEvent(MODEL, eventOf(version2));
    expect([failed!.status, failed!.error]).toEqual(['FAILED', PROMOTION_ERRORS.failed]);
    expect(visited(failed!).slice(-3)).toEqual([S.transform, S.alertFailed, S.promotionFailed]);
    expect(failed!.states.find((visit) => visit.state === S.transform)).toMatchObject({ outcome: 'caught', error: 'States.TaskFailed' });
    const alert = readFileSync(join(workspace, 'alerts.log'), 'utf8').slice(alerts.length);
    expect(alert).toContain('PromotionFailed');
    expect(alert).toContain('not-a-model.json');
    expect(await predictionRows()).toEqual(before);
    // Nothing was scored: the environment still serves version 1.
    expect(currentVersion()).toBe(version1.arn);

    // The artifact fixed, the same event again: a new run, its model created under a name of its own.
    const model = await runtime.s3.client.send(new GetObjectCommand({ Bucket: parseS3Uri(version1.artifact)!.bucket, Key: parseS3Uri(version1.artifact)!.key }));
    await runtime.s3.client.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: await model.Body!.transformToByteArray() }));
    const [retried] = await runtime.deliverModelEvent(MODEL, eventOf(version2));
    expect([retried!.status, visited(retried!).at(-1)]).toEqual(['SUCCEEDED', S.promoted]);
    expect(retried!.predictions.rows).toBe(600);
    expect((await versionRows(2)).map((row) => row['customer_id'])).toEqual((await featureRows()).map((row) => row['customer_id']));
    expect(currentVersion()).toBe(version2.arn);

    const [repeat] = await runtime.deliverModelEvent(MODEL, eventOf(version2));
    expect([repeat!.status, visited(repeat!).at(-1), repeat!.predictions.rows]).toEqual(['SUCCEEDED', S.alreadyPromoted, 0]);
    expect(await predictionRows()).toHaveLength(before.length + 600);
  });

  it("writes a version's predictions once when its recording failed after them and the event comes again", async () => {
    const version3 = await approvedCopyOfVersion1('run-recorded-late');
    const before = await predictionRows();
    const [failed] = await runtime.deliverModelEvent(MODEL, eventOf(version3), { wrapTask: failingWith(S.recordCurrentVersion, 'Ssm.InternalServerErrorException') });
    expect([failed!.status, visited(failed!).slice(-4)]).toEqual(['FAILED', [S.insertPredictions, S.recordCurrentVersion, S.alertFailed, S.promotionFailed]]);
    const firstAttempt = await versionRows(3);
    expect(firstAttempt).toHaveLength(600);
    expect(currentVersion()).not.toBe(version3.arn);

    const [retried] = await runtime.deliverModelEvent(MODEL, eventOf(version3));
    expect([retried!.status, visited(retried!).at(-1)]).toEqual(['SUCCEEDED', S.promoted]);
    // The retry's rows replaced the first attempt's: each customer once, from the retry's run.
    const rows = await versionRows(3);
    expect(rows).toHaveLength(600);
    const runIds = new Set(rows.map((row) => row['run_id']));
    expect(runIds.size).toBe(1);
    expect(runIds.has(firstAttempt[0]!['run_id'])).toBe(false);
    expect(await predictionRows()).toHaveLength(before.length + 600);
    expect(currentVersion()).toBe(version3.arn);
  });

  it("never lets the event's version number or ARN into a statement: a crafted number is ignored, SageMaker's is used", async () => {
    const version4 = await approvedCopyOfVersion1('run-with-a-crafted-event');
    const crafted = "4' AS integer), 'x', 'y', now() FROM (VALUES 1) --";
    const event = eventOf(version4);
    const queries: string[] = [];
    const [run] = await runtime.deliverModelEvent(MODEL, { ...event, detail: { ...event.detail, ModelPackageVersion: crafted as unknown as number } }, {
      wrapTask: (state, handler) =>
        state !== S.insertPredictions
          ? handler
          : async (input) => {
              queries.push((input as { QueryString: string }).QueryString);
              return handler(input);
            },
    });
    expect([run!.status, visited(run!).at(-1)]).toEqual(['SUCCEEDED', S.promoted]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).not.toContain(crafted);
    expect(queries[0]).toContain(`'${version4.arn}' AS "model_package_arn", CAST('4' AS integer) AS "model_version"`);
    expect((await versionRows(4)).map((row) => row['model_package_arn'])).toEqual(Array(600).fill(version4.arn));
  });

  it('refuses a version rejected after its approval when the approval event arrives late: alerted, failed, nothing scored or recorded', async () => {
    const version5 = await approvedCopyOfVersion1('run-rejected-after-approval');
    const staleApproval = eventOf(version5);
    expect(staleApproval.detail.ModelApprovalStatus).toBe('Approved');
    await registry().updateApproval(group, version5.version, 'Rejected', 'approval revoked');
    const before = await predictionRows();
    const served = currentVersion();
    const alerts = existsSync(join(workspace, 'alerts.log')) ? readFileSync(join(workspace, 'alerts.log'), 'utf8') : '';
    const [run, ...others] = await runtime.deliverModelEvent(MODEL, staleApproval);
    expect(others).toEqual([]);
    expect([run!.status, run!.error]).toEqual(['FAILED', PROMOTION_ERRORS.failed]);
    expect(visited(run!).slice(-4)).toEqual([S.checkVersion, S.versionRefused, S.alertFailed, S.promotionFailed]);
    const alert = readFileSync(join(workspace, 'alerts.log'), 'utf8').slice(alerts.length);
    expect(alert).toContain(PROMOTION_ERRORS.versionRefused);
    expect(run!.predictions.rows).toBe(0);
    expect(await predictionRows()).toEqual(before);
    expect(currentVersion()).toBe(served);
  });
});

describe('the promotion coverage scenarios', () => {
  it('go where they say, and with reachCatchers enter every state and take every transition of the promotion machine', async () => {
    const machineName = promotionStateMachineName(identity, 'marketing', 'churn');
    // The same project, so the same synthesis; a workspace where nothing was promoted yet.
    const environment = openOfflineEnvironment({ projectRoot: project, environment: 'dev' });
    const run = new CoverageRun(await environment.stateMachines());
    const scenarioWorkspace = mkdtempSync(join(tmpdir(), 'promotion-scenarios-'));
    const scenarioRuntime = await LocalPipelineRuntime.start({ projectRoot: project, workspace: scenarioWorkspace, synthesized: environment, retryPauseMs: 0, waitPauseMs: 0, onExecution: run.onExecution });
    try {
      await seedChurnFeatureTable(scenarioRuntime.lake, database);
      const problems: string[] = [];
      const executions: ScenarioExecution[] = [];
      const scenarios = (await promotionScenarios({ runtime: scenarioRuntime })).filter((scenario) => scenario.machine === machineName);
      expect(scenarios).toHaveLength(5);
      for (const scenario of scenarios) {
        const started = Date.now();
        const outcome = await run.execute(scenario, []);
        if (outcome === undefined) continue;
        problems.push(...outcome.problems.map((problem) => `${scenario.name}: ${problem}`));
        executions.push({ scenario, faults: [], visited: outcome.visited, took: Date.now() - started });
      }
      await reachCatchers(run, run.machine(machineName), executions, () => undefined);
      expect([...problems, ...run.problems]).toEqual([]);
      const coverage = run.coverage.report().machines.find((machine) => machine.name === machineName)!;
      expect([coverage.states.missing, coverage.transitions.missing]).toEqual([[], []]);
      expect(coverage.states.visited).toBe(coverage.states.total);
    } finally {
      await scenarioRuntime.close();
      rmSync(scenarioWorkspace, { recursive: true, force: true });
    }
  }, 300_000);
});
