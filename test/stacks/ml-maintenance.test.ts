/**
 * An ML model's predictions table in its domain's maintenance (issue 11): the churn fixture spec in
 * a temporary copy of the contracts, the app created as bin/app.ts creates it and synthesized
 * once with cdk-nag on; its marketing maintenance machine pinned, its role evaluated by IAM, and
 * the same synthesized machine run offline on a local lake.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, rolePrincipal } from '../iam/evaluate.ts';
import { readAthenaCatalog } from '../iam/athena-on-behalf.ts';
import { stateMachineCalls } from '../iam/state-machine-calls.ts';
import { readSynthesizedApp, type SynthesizedApp } from '../iam/synthesized-app.ts';
import { offlineEnvironmentOf } from '../../lib/cli/offline-environment.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import {
  glueDatabaseName,
  inferenceOutputTableName,
  inferenceRunsPrefix,
  maintenanceStateMachineName,
  ML_RUNS_TABLE,
  predictionsTableName,
  trainingRunRecordsTableName,
} from '../../lib/config/names.ts';
import type { EnvironmentSettings } from '../../lib/config/settings.ts';
import { openBuildConnection } from '../../lib/local/runtime/build-connection.ts';
import { LocalPipelineRuntime } from '../../lib/local/runtime/pipeline-runtime.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { PREDICTION_COLUMNS } from '../../lib/ml/prediction-queries.ts';
import { MAINTENANCE_STATES, maintenanceItem } from '../../lib/pipeline/maintenance-steps.ts';
import { definitionState, type MlApp, synthesizeMlApp } from './ml-app.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const projectContext = readCdkJsonContext(join(repoRoot, 'cdk.json'));
const environment = (projectContext['environments'] as Record<string, EnvironmentSettings>)['dev']!;
const identity = { organization: 'acme', environment: 'dev', account: environment.account, region: environment.region };
const database = glueDatabaseName(identity, 'marketing');
const predictions = predictionsTableName('churn');
const machineName = maintenanceStateMachineName(identity, 'marketing');

let synthesized: MlApp;
let app: SynthesizedApp;
let runtime: LocalPipelineRuntime;
let workspace: string;

beforeAll(async () => {
  synthesized = await synthesizeMlApp({ ...projectContext, environments: { dev: environment } }, machineName);
  app = readSynthesizedApp(synthesized.stage);
  workspace = mkdtempSync(join(tmpdir(), 'ml-maintenance-'));
  runtime = await LocalPipelineRuntime.start({
    projectRoot: dirname(synthesized.lakehouse.catalog.root),
    workspace,
    retryPauseMs: 0,
    waitPauseMs: 0,
    synthesized: offlineEnvironmentOf(synthesized.lakehouse, 'dev'),
  });
}, 300_000);

afterAll(async () => {
  await runtime?.close();
  if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  if (synthesized !== undefined) rmSync(dirname(synthesized.lakehouse.catalog.root), { recursive: true, force: true });
});

describe("the domain's maintenance machine with an ML model", () => {
  it('compacts and vacuums the predictions table and ml_runs, never deleting from them: a prediction or a run has no retention', () => {
    const items = definitionState(synthesized.machine, MAINTENANCE_STATES.listTables)['Result'] as Record<string, unknown>[];
    for (const table of [predictions, ML_RUNS_TABLE]) {
      const item = maintenanceItem({ database, table });
      expect(items).toContainEqual(item);
      expect(item).not.toHaveProperty('applyRetention');
    }
  });

  it('maintains it in the table Map: no state is added', () => {
    expect(new Set(listStates(synthesized.machine.definition).map((state) => state.name))).toEqual(new Set(Object.values(MAINTENANCE_STATES)));
  });

  it('is cdk-nag clean', () => {
    expect(synthesized.nagFindings().filter((finding) => finding.includes('/Maintenance/'))).toEqual([]);
  });
});

describe('the maintenance role, as IAM decides (iam-simulate on the synthesized policies)', () => {
  const roleOfMachine = () => {
    const { machine } = synthesized;
    const resource = app.resources.find((candidate) => candidate.stackName === machine.stackName && candidate.logicalId === machine.logicalId)!;
    return { resource, role: app.roleOf(resource) };
  };

  it('allows every call its definition makes, the predictions table and ml_runs among them', async () => {
    const { resource, role } = roleOfMachine();
    const calls = stateMachineCalls(app, readAthenaCatalog(app), synthesized.machine, resource);
    for (const table of [predictions, ML_RUNS_TABLE]) {
      expect(calls).toContainEqual(expect.objectContaining({ action: 'glue:UpdateTable', resource: expect.stringMatching(new RegExp(`:table/${database}/${table}$`)) }));
    }
    const refused = [];
    for (const call of calls) {
      const decision = await decide(app, rolePrincipal(role), call);
      if (decision !== 'Allowed') refused.push(`${decision}: ${call.action} on ${call.resource} (${call.why})`);
    }
    expect(refused).toEqual([]);
  });

  it('commits to the maintained tables only: not the inference output or run records tables of the same database, nor the inference files', async () => {
    const { role } = roleOfMachine();
    const glue = (table: string) => `arn:aws:glue:${identity.region}:${identity.account}:table/${database}/${table}`;
    const audit = `arn:aws:s3:::acme-dev-audit-${identity.account}-${identity.region}/${inferenceRunsPrefix('marketing', 'churn')}`;
    const gold = `arn:aws:s3:::acme-dev-gold-${identity.account}-${identity.region}/marketing/${predictions}/data`;
    const calls = [
      { action: 'glue:UpdateTable', resource: glue(predictions) },
      { action: 'glue:UpdateTable', resource: glue(inferenceOutputTableName('churn')) },
      { action: 'glue:UpdateTable', resource: glue(trainingRunRecordsTableName('churn')) },
      { action: 's3:DeleteObject', resource: `${gold}/part-1.parquet` },
      { action: 's3:DeleteObject', resource: `${audit}r1/output/part.out` },
    ];
    const decisions = await Promise.all(calls.map(async (call) => `${call.action} ${call.resource}: ${await decide(app, rolePrincipal(role), { ...call, why: 'test' })}`));
    expect(decisions).toEqual([
      `glue:UpdateTable ${glue(predictions)}: Allowed`,
      `glue:UpdateTable ${glue(inferenceOutputTableName('churn'))}: ImplicitlyDenied`,
      `glue:UpdateTable ${glue(trainingRunRecordsTableName('churn'))}: ImplicitlyDenied`,
      `s3:DeleteObject ${gold}/part-1.parquet: Allowed`,
      `s3:DeleteObject ${audit}r1/output/part.out: ImplicitlyDenied`,
    ]);
  });
});

describe('the synthesized maintenance machine run offline', () => {
  /** The lake's types for the predictions table's Athena types. */
  const LAKE_TYPES: Readonly<Record<string, string>> = { double: 'DOUBLE', string: 'VARCHAR', int: 'INTEGER', timestamp: 'TIMESTAMP' };
  const tableOf = (run: Awaited<ReturnType<LocalPipelineRuntime['maintain']>>) => run.tables.find((entry) => entry.table === `${database}.${predictions}`);

  it('names the predictions table and ml_runs as not in the lake before any promotion or training wrote them', async () => {
    const run = await runtime.maintain('marketing');
    expect(run.status).toBe('SUCCEEDED');
    expect(tableOf(run)).toEqual({ table: `${database}.${predictions}`, before: null, after: null });
    expect(run.tables).toContainEqual({ table: `${database}.${ML_RUNS_TABLE}`, before: null, after: null });
  }, 120_000);

  it('compacts its batches into one file and keeps every prediction, however old', async () => {
    runtime.lake.createTable(database, predictions, [
      { name: 'customer_id', type: 'VARCHAR' },
      ...PREDICTION_COLUMNS.map((column) => ({ name: column.name, type: LAKE_TYPES[column.type]! })),
    ]);
    const connection = await openBuildConnection(runtime.lake);
    try {
      for (const version of [1, 2, 3]) {
        await runtime.lake.write(
          connection.connection,
          database,
          predictions,
          'append',
          `INSERT INTO {{target}} SELECT 'C' || CAST(i AS VARCHAR), 0.5, 'arn:model-package/${version}', ${version}, '81', 'r${version}', TIMESTAMP '2017-01-02 06:00:00' FROM range(4) AS t(i)`,
        );
      }
    } finally {
      connection.close();
    }
    const run = await runtime.maintain('marketing');
    expect(run.status).toBe('SUCCEEDED');
    expect(tableOf(run)).toEqual({
      table: `${database}.${predictions}`,
      before: expect.objectContaining({ rows: 12, dataFiles: 3 }),
      after: expect.objectContaining({ rows: 12, dataFiles: 1 }),
    });
  }, 120_000);
});
