/**
 * An ML model's SYNTHESIZED training machine run offline (issue 11 item 4): a fixture project
 * with the churn spec and a stricter twin (none is shipped), synthesized once for the file, its
 * feature table seeded in the local lake. The Athena statements run on the lake, the training job
 * on the local trainer, Register on the workspace's local registry, the records in local S3.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import { ML_RUNS_TABLE, modelPackageGroupName } from '../../../lib/config/names.ts';
import { workspaceModelRegistry } from '../../../lib/local/ml/workspace-registry.ts';
import { openBuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import { LocalPipelineRuntime, type PredictionLineage, type TrainingRun } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { parseS3Uri } from '../../../lib/local/runtime/s3-uri.ts';
import { trainingJobTask } from '../../../lib/local/runtime/training-job-task.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';
import { listKeys } from '../../../lib/local/runtime/zone-objects.ts';
import { workspaceAt } from '../../../lib/local/workspace.ts';
import { lineageEventKey } from '../../../lib/ingest/layout.ts';
import { TRAINING_FACET } from '../../../lib/ml/training-run-events.ts';
import { TRAINING_ERRORS, TRAINING_STATES as S } from '../../../lib/ml/training-states.ts';
import { CHURN_SPEC, churnSpecWith, mlProject } from '../../ml/ml-project.ts';
import { CHURN_FEATURE_TABLE, churnFeatureDatabase, seedChurnFeatureTable } from '../ml/churn-feature-table.ts';
import { runLakehouseInProcess } from '../../cli/run-cli-in-process.ts';
import { eventsUnder, expectValid, runsOf } from './lineage-event-checks.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const database = churnFeatureDatabase(identity);
const FEATURE_TABLE = CHURN_FEATURE_TABLE;
/** The shipped thresholds (auc >= 0.80, logloss <= 0.5) pass on the seeded rows; an auc of 0.99 does not (a tenth of the labels are flipped). */
const STRICT_SPEC = churnSpecWith('validation:auc >= 0.80', 'validation:auc >= 0.99');

let project: string;
let workspace: string;
let runtime: LocalPipelineRuntime;

beforeAll(async () => {
  project = mlProject({ 'churn.yaml': CHURN_SPEC, 'churn_strict.yaml': STRICT_SPEC });
  workspace = mkdtempSync(join(tmpdir(), 'training-service-'));
  runtime = await LocalPipelineRuntime.start({
    projectRoot: project,
    workspace,
    retryPauseMs: 0,
    waitPauseMs: 0,
    synthesized: openOfflineEnvironment({ projectRoot: project, environment: 'dev' }),
  });
}, 300_000);

afterAll(async () => {
  await runtime?.close();
  for (const folder of [workspace, project]) if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

async function objectBytes(uri: string): Promise<Uint8Array> {
  const location = parseS3Uri(uri)!;
  const response = await runtime.s3.client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  return response.Body!.transformToByteArray();
}

/**
 * The rows of the training set unloaded under `trainingSet`, and the feature table's rows at
 * `snapshotId` as the UNLOAD casts them, both sorted: equal when the training data reproduces.
 */
async function trainingSetAndSnapshot(trainingSet: string, snapshotId: string): Promise<{ unloaded: string[]; atSnapshot: string[] }> {
  const location = parseS3Uri(trainingSet)!;
  const keys = await listKeys(runtime.s3.client, location.bucket, location.key);
  const folder = mkdtempSync(join(tmpdir(), 'training-set-'));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    const files = await Promise.all(
      keys.map(async (key, index) => {
        const file = join(folder, `${index}.parquet`);
        writeFileSync(file, await objectBytes(`s3://${location.bucket}/${key}`));
        return file;
      }),
    );
    const rows = async (sql: string) => (await duckdb.runAndReadAll(sql)).getRows().map((row) => JSON.stringify(row));
    const snapshot = runtime.lake.snapshot(database, FEATURE_TABLE, Number(snapshotId));
    const tableFiles = snapshot.files.map((file) => `'${join(runtime.lake.tableDirectory(database, FEATURE_TABLE), file)}'`);
    const columns = ['churned', 'marketing_opt_in', 'orders', 'revenue', 'web_events'];
    return {
      unloaded: await rows(`SELECT ${columns.join(', ')} FROM read_parquet([${files.map((file) => `'${file}'`).join(', ')}]) ORDER BY ALL`),
      atSnapshot: await rows(`SELECT ${columns.map((column) => `CAST(${column} AS DOUBLE) AS ${column}`).join(', ')} FROM read_parquet([${tableFiles.join(', ')}]) ORDER BY ALL`),
    };
  } finally {
    duckdb.closeSync();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The rows of marketing's ml_runs in the local lake, oldest first. */
async function mlRuns(): Promise<Record<string, unknown>[]> {
  const connection = await openBuildConnection(runtime.lake);
  try {
    const reader = await connection.connection.runAndReadAll(`SELECT * FROM "${database}"."${ML_RUNS_TABLE}" ORDER BY started_at`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.close();
  }
}

const registry = () => workspaceModelRegistry(workspaceAt(workspace), identity);

/** The runs the tests make, in order: churn failed for want of data, then registered. */
let failed: TrainingRun;
let registered: TrainingRun;

describe('a training run offline', () => {
  it('fails, recorded with its error, while the feature table has no data', async () => {
    failed = await runtime.train('marketing/churn');
    expect([failed.status, failed.error]).toEqual(['FAILED', TRAINING_ERRORS.failed]);
    expect(failed.states.map((visit) => visit.state)).toContain(S.noFeatureData);
    expect(failed.record).toMatchObject({ model: 'marketing/churn', outcome: { status: 'failed' }, failure: { Error: TRAINING_ERRORS.noFeatureData } });
  });

  it('registers version 1 when every threshold passes, with the metrics the local trainer measured', async () => {
    await seedChurnFeatureTable(runtime.lake, database);
    registered = await runtime.train('marketing/churn');
    expect([registered.status, registered.error, registered.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    const snapshotId = String(runtime.lake.currentSnapshot(database, FEATURE_TABLE).snapshotId);
    expect(registered.record).toMatchObject({ featureSnapshotId: snapshotId, outcome: { status: 'registered', version: 1 } });
    const [version, ...others] = await registry().listVersions(modelPackageGroupName(identity, 'marketing', 'churn'));
    expect(others).toEqual([]);
    expect(version!.lineage).toMatchObject({ runId: registered.record!.runId, featureSnapshots: { [`marketing/${FEATURE_TABLE}`]: snapshotId } });
    expect(version!.metrics['validation:auc']).toBeGreaterThanOrEqual(0.8);
    expect(version!.metrics['validation:logloss']).toBeLessThanOrEqual(0.5);
    // The model artifact the version points to is the local trainer's model, in local S3.
    expect(JSON.parse(Buffer.from(await objectBytes(version!.artifact)).toString('utf8'))).toMatchObject({ label: 'churned' });

    const listed = await runLakehouseInProcess(['models', 'list', '--json', '--lake', workspace], { cwd: project });
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ model: 'marketing/churn', version: 1, runId: registered.record!.runId })]),
    );
  });

  it('unloads a training set that, read back, is the feature table at the pinned snapshot', async () => {
    const location = parseS3Uri(registered.record!['trainingSet'] as string)!;
    const keys = await listKeys(runtime.s3.client, location.bucket, location.key);
    expect(keys.map((key) => key.slice(location.key.length).split('/')[0])).toEqual(['train', 'validation']);
    // More rows land in the table after the run: the training set stays what the snapshot held.
    const later = await openBuildConnection(runtime.lake);
    await runtime.lake.write(later.connection, database, FEATURE_TABLE, 'append', `INSERT INTO {{target}} VALUES ('X00001', true, 3, 1.0, 2, false)`).finally(() => later.close());
    const { unloaded, atSnapshot } = await trainingSetAndSnapshot(registered.record!['trainingSet'] as string, registered.record!['featureSnapshotId'] as string);
    expect(unloaded).toHaveLength(600);
    expect(unloaded).toEqual(atSnapshot);
  });

  it('records a run below a threshold without registering it (models train exits 1)', async () => {
    const result = await runLakehouseInProcess(['models', 'train', 'marketing/churn_strict', '--json', '--lake', workspace], { cwd: project });
    expect(result.status, result.stderr).toBe(1);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({ model: 'marketing/churn_strict', status: 'SUCCEEDED', outcome: { status: 'below-threshold' } });
    expect(document['gates']).toEqual([
      { threshold: 'validation:auc >= 0.99', observed: expect.any(Number), passed: false },
      { threshold: 'validation:logloss <= 0.5', observed: expect.any(Number), passed: true },
    ]);
    expect(await registry().listVersions(modelPackageGroupName(identity, 'marketing', 'churn_strict'))).toEqual([]);
  });

  it('lists the runs of a model from their records, newest first (models runs)', async () => {
    const result = await runLakehouseInProcess(['models', 'runs', 'marketing/churn', '--json', '--lake', workspace], { cwd: project });
    expect(result.status, result.stderr).toBe(0);
    const runs = JSON.parse(result.stdout) as { runId: string; outcome: { status: string }; durationMs: number }[];
    expect(runs.map((run) => [run.runId, run.outcome.status])).toEqual([
      [registered.record!.runId, 'registered'],
      [failed.record!.runId, 'failed'],
    ]);
    // The duration is the one the run's ml_runs row measured.
    const tracked = new Map((await mlRuns()).map((row) => [row['run_id'], Number(row['duration_ms'])]));
    expect(runs.map((run) => run.durationMs)).toEqual([tracked.get(registered.record!.runId), tracked.get(failed.record!.runId)]);
    const unknown = await runLakehouseInProcess(['models', 'runs', 'marketing/churm', '--lake', workspace], { cwd: project });
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringContaining("did you mean 'marketing/churn'?")]);
  });

  it("tracks every run, failed, registered or below threshold, as one row of the domain's ml_runs, read from its record", async () => {
    const rows = await mlRuns();
    expect(rows.map((row) => [row['model'], row['outcome']])).toEqual([
      ['marketing/churn', 'failed'],
      ['marketing/churn', 'registered'],
      ['marketing/churn_strict', 'below-threshold'],
    ]);
    const [failedRow, registeredRow, belowRow] = rows as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    const record = registered.record!;
    expect(registeredRow).toMatchObject({
      run_id: record.runId,
      execution: registered.executionArn,
      model_version: 1,
      model_package_arn: record.outcome['modelPackageArn'],
      approval: record.outcome['approval'],
      feature_snapshot_id: record['featureSnapshotId'],
      training_set: record['trainingSet'],
      failure: null,
    });
    expect(JSON.parse(registeredRow['parameters'] as string)).toEqual((record['parameters'] as { hyperparameters: unknown }).hyperparameters);
    expect(JSON.parse(registeredRow['contract_versions'] as string)).toEqual(record['contractVersions']);
    expect(JSON.parse(registeredRow['metrics'] as string)).toEqual(
      Object.fromEntries((record['metrics'] as { MetricName: string; Value: number }[]).map((metric) => [metric.MetricName, metric.Value])),
    );
    expect(JSON.parse(registeredRow['thresholds'] as string)).toEqual(record['thresholds']);
    expect(failedRow).toMatchObject({ run_id: failed.record!.runId, metrics: null, failure: expect.stringMatching(/^Training\.NoFeatureData: /) });
    expect(belowRow).toMatchObject({ model_version: null, failure: null });
    // A real duration: from the execution's start to the INSERT, which ran after the training.
    for (const row of rows) {
      const duration = Number(row['duration_ms']);
      expect(duration).toBeGreaterThan(0);
      expect(duration).toBe(Date.parse(`${row['finished_at'] as string}Z`) - Date.parse(`${row['started_at'] as string}Z`));
    }
  });

  it('fails a training job that cannot train as SageMaker fails a job: States.TaskFailed with the Failed description', async () => {
    const connection = await openBuildConnection(runtime.lake);
    const audit = `s3://${runtime.buckets.audit}/ml/marketing/churn/runs/no-such-run`;
    const error = await trainingJobTask({ s3: runtime.s3.client, connection: connection.connection, scratch: connection.scratch })({
      TrainingJobName: 'acme-dev-marketing-churn-no-such-run',
      HyperParameters: { num_round: '10' },
      InputDataConfig: ['train', 'validation'].map((channel) => ({ ChannelName: channel, DataSource: { S3DataSource: { S3Uri: `${audit}/training-set/${channel}/` } } })),
      OutputDataConfig: { S3OutputPath: `${audit}/model/` },
    })
      .catch((caught: unknown) => caught)
      .finally(() => connection.close());
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).name).toBe('States.TaskFailed');
    expect(JSON.parse((error as TaskError).message)).toMatchObject({
      TrainingJobName: 'acme-dev-marketing-churn-no-such-run',
      TrainingJobStatus: 'Failed',
      FailureReason: `no training data under ${audit}/training-set/train/`,
    });
  });
});

describe("a training run's OpenLineage events (issue 12 item 3)", () => {
  const catalog = `arn:aws:glue:${identity.region}:${identity.account}`;
  const events = (model: string) => eventsUnder(runtime.s3.client, runtime.buckets.audit, 'marketing', model);

  it('are a START and one terminal event per run, valid by the spec, named by the run id and filed under the day it started', async () => {
    const churn = runsOf(await events('churn'));
    expect(churn.map(({ start, end }) => [start.event.run.runId, end.event.eventType])).toEqual([
      [failed.record!.runId, 'FAIL'],
      [registered.record!.runId, 'COMPLETE'],
    ]);
    const strict = runsOf(await events('churn_strict'));
    expect(strict.map(({ end }) => end.event.eventType)).toEqual(['COMPLETE']);
    for (const [run, record] of [...churn, ...strict].map((run, index) => [run, [failed.record!, registered.record!, undefined][index]] as const)) {
      for (const written of [run.start, run.end]) {
        expectValid(written);
        // The record's start is the execution's; a run without one is dated by its START, written just after.
        const startDate = (record?.startedAt ?? run.start.event.eventTime).slice(0, 10);
        expect(written.key).toBe(lineageEventKey('marketing', written.key.split('/')[2]!, { startDate, runId: written.event.run.runId, eventType: written.event.eventType }));
      }
      expect(run.start.event.job).toMatchObject({ namespace: 'acme-dev', name: `marketing.${run.start.key.split('/')[2]!}`, facets: { jobType: { processingType: 'BATCH', jobType: 'ML_TRAINING' } } });
      expect(run.end.event.inputs).toEqual([expect.objectContaining({ namespace: catalog, name: `table/${database}/${FEATURE_TABLE}` })]);
      expect(run.end.event.inputs[0]!.facets['schema']).toMatchObject({ fields: expect.arrayContaining([{ name: 'churned' }, { name: 'orders', type: expect.any(String) }]) });
    }
    expect(churn[0]!.end.event.outputs).toEqual([
      expect.objectContaining({ namespace: `arn:aws:sagemaker:${identity.region}:${identity.account}`, name: `model-package-group/${modelPackageGroupName(identity, 'marketing', 'churn').toLowerCase()}` }),
    ]);
  });

  it('end a failed run with FAIL naming its error, a registered one with COMPLETE carrying the version and the metrics the run recorded', async () => {
    const [fail, complete] = runsOf(await events('churn'));
    expect(JSON.parse((fail!.end.event.run.facets['errorMessage'] as unknown as { message: string }).message)).toEqual(failed.record!['failure']);
    expect(fail!.end.event.run.facets[TRAINING_FACET]).toBeUndefined();
    const record = registered.record!;
    expect(complete!.end.event.run.facets[TRAINING_FACET]).toMatchObject({
      outcome: { status: 'registered', version: 1, modelPackageArn: record.outcome['modelPackageArn'], approval: record.outcome['approval'] },
      metrics: record['metrics'],
    });
    expect(complete!.end.event.run.facets['errorMessage']).toBeUndefined();
  });

  it('end a run below its thresholds with COMPLETE, its outcome saying nothing was registered', async () => {
    const [below] = runsOf(await events('churn_strict'));
    const facet = below!.end.event.run.facets[TRAINING_FACET] as unknown as { outcome: Record<string, unknown>; metrics: { MetricName: string }[] };
    expect(facet.outcome).toEqual({ status: 'below-threshold' });
    expect(facet.metrics.map((metric) => metric.MetricName)).toEqual(expect.arrayContaining(['validation:auc', 'validation:logloss']));
  });
});

describe("a prediction's lineage (models lineage)", () => {
  beforeAll(async () => {
    // Version 1 registered Approved (dev approves automatically): its approval promotes it.
    const [promotion] = await runtime.modelVersionChanged('marketing/churn', 1);
    expect(promotion?.status).toBe('SUCCEEDED');
  }, 120_000);

  const lineage = (...args: string[]) => runLakehouseInProcess(['models', 'lineage', 'marketing/churn', ...args, '--lake', workspace], { cwd: project });

  it('traces a prediction to its version, run, training set, snapshot and contract versions, and the training set reproduces', async () => {
    const result = await lineage('--prediction', 'C00042', '--json');
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as PredictionLineage;
    const [version] = await registry().listVersions(modelPackageGroupName(identity, 'marketing', 'churn'));
    const record = registered.record!;
    const tracked = (await mlRuns()).find((row) => row['run_id'] === record.runId)!;
    expect(document).toEqual({
      model: 'marketing/churn',
      prediction: {
        key: { customer_id: 'C00042' },
        score: expect.any(Number),
        predictedAt: expect.any(String),
        batch: expect.any(String),
        version: 1,
        modelPackageArn: version!.arn,
        // Scored from the table as promotion found it, with the row added after training.
        featureSnapshotId: String(runtime.lake.currentSnapshot(database, FEATURE_TABLE).snapshotId),
      },
      version: { version: 1, arn: version!.arn, approval: 'Approved', metrics: version!.metrics, createdAt: version!.createdAt, gitRevision: version!.lineage.gitRevision },
      run: {
        runId: record.runId,
        startedAt: record.startedAt,
        durationMs: Number(tracked['duration_ms']),
        outcome: record.outcome,
        parameters: record['parameters'],
        execution: record['execution'],
      },
      trainingSet: {
        location: record['trainingSet'],
        featureSnapshotId: record['featureSnapshotId'],
        snapshots: { [`marketing/${FEATURE_TABLE}`]: record['featureSnapshotId'] },
      },
      contracts: record['contractVersions'],
    });
    expect(Object.keys(document.contracts).sort()).toEqual(['marketing/web_events', 'sales/customers', 'sales/orders']);
    // The training data is what the pinned snapshot held, though the table has changed since.
    const { unloaded, atSnapshot } = await trainingSetAndSnapshot(document.trainingSet.location, document.trainingSet.featureSnapshotId);
    expect(unloaded).toHaveLength(600);
    expect(unloaded).toEqual(atSnapshot);

    const text = await lineage('--prediction', 'customer_id=C00042');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain(`1 (Approved) ${version!.arn}`);
    expect(text.stdout).toContain(`${version!.arn} on feature snapshot ${document.prediction.featureSnapshotId}`);
    expect(document.prediction.featureSnapshotId).not.toBe(document.trainingSet.featureSnapshotId);
  });

  it('exits 1 for a key with no prediction, naming the batches there are', async () => {
    const result = await lineage('--prediction', 'NOBODY', '--json');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no prediction of marketing\/churn for customer_id=NOBODY; batches: \S+ \(version 1, [^,]+, 601 rows\)/);
    expect(JSON.parse(result.stdout)).toMatchObject({ model: 'marketing/churn', prediction: null, key: { customer_id: 'NOBODY' }, batches: [{ version: 1, rows: 601 }] });
  });

  it("exits 1 naming both ARNs when the registry's version is not the package that scored the prediction", async () => {
    const group = modelPackageGroupName(identity, 'marketing', 'churn');
    const [version] = await registry().listVersions(group);
    const foreign = version!.arn.replace(identity.account, '222222222222');
    expect(foreign).not.toBe(version!.arn);
    // A newer row for C00042 scored by another account's version 1, then one by a version this registry never had.
    const rescore = async (arn: string, modelVersion: number, batch: string) => {
      const connection = await openBuildConnection(runtime.lake);
      await runtime.lake
        .write(
          connection.connection,
          database,
          'churn_predictions',
          'append',
          `INSERT INTO {{target}} SELECT * REPLACE ('${arn}' AS model_package_arn, ${modelVersion} AS model_version, '${batch}' AS run_id, predicted_at + INTERVAL 1 HOUR AS predicted_at)
           FROM "${database}"."churn_predictions" WHERE customer_id = 'C00042' ORDER BY predicted_at DESC LIMIT 1`,
        )
        .finally(() => connection.close());
    };

    await rescore(foreign, 1, 'foreign-batch');
    const result = await lineage('--prediction', 'C00042', '--json');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`(batch foreign-batch) was scored by ${foreign}, but Model Package Group ${group} in this registry holds ${version!.arn} as version 1`);
    expect(JSON.parse(result.stdout)).toEqual({
      model: 'marketing/churn',
      prediction: expect.objectContaining({ key: { customer_id: 'C00042' }, batch: 'foreign-batch', version: 1, modelPackageArn: foreign, featureSnapshotId: expect.any(String) }),
      version: null,
      registryArn: version!.arn,
    });

    await rescore(version!.arn.replace(/\/1$/, '/7'), 7, 'unregistered-batch');
    const missing = await lineage('--prediction', 'C00042');
    expect([missing.status, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toContain('in this registry has no version 7');
  });

  it('exits 2 without --prediction', async () => {
    const result = await lineage();
    expect([result.status, result.stderr]).toEqual([2, expect.stringContaining('missing --prediction <key>')]);
  });
});
