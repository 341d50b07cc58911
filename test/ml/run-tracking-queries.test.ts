/**
 * The ML run tracking statements (lib/ml/run-tracking-queries.ts): the ml_runs DDL and INSERT
 * parsed with Trino's grammar (Athena engine v3), the run id the only value formatted into the
 * INSERT, and the DuckDB rendering run on real records on DuckDB.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  duckDbRunRowSelect,
  ML_RUNS_COLUMNS,
  mlRunsCreateStatement,
  mlRunsInsertStatement,
  mlRunsTableColumns,
  runRecordsTableColumns,
} from '../../lib/ml/run-tracking-queries.ts';

const trino = new TrinoSQL();
const runs = { database: 'acme_dev_marketing', table: 'ml_runs' };
const records = { database: 'acme_dev_marketing', table: 'churn_run_records' };
const RUN = '0b4e7a4c-3f1a-4f5e-9d7c-2a1b3c4d5e6f';
const FAILED_RUN = '1c5f8b5d-4a2b-4a6f-8e8d-3b2c4d5e6f70';

describe('the ml_runs table', () => {
  it('has every column of a run, timestamps and numbers typed, the rest text', () => {
    expect(mlRunsTableColumns().map((column) => `${column.name} ${column.type}`)).toEqual([
      'model string',
      'run_id string',
      'execution string',
      'started_at timestamp',
      'finished_at timestamp',
      'duration_ms bigint',
      'outcome string',
      'model_package_arn string',
      'model_version int',
      'approval string',
      'feature_snapshot_id string',
      'training_set string',
      'parameters string',
      'contract_versions string',
      'metrics string',
      'thresholds string',
      'failure string',
    ]);
  });

  it('is an Iceberg table at its location', () => {
    const statement = mlRunsCreateStatement(runs, 's3://acme-dev-gold/marketing/ml_runs/');
    expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS `acme_dev_marketing`\.`ml_runs` \(\n {2}`model` string,\n/);
    expect(statement).toMatch(/LOCATION 's3:\/\/acme-dev-gold\/marketing\/ml_runs\/'\nTBLPROPERTIES \('table_type'='ICEBERG'\)$/);
  });

  it("reads the records through the Hive JSON SerDe's lowercase names", () => {
    expect(runRecordsTableColumns().map((column) => column.name)).toEqual([
      'runid', 'model', 'execution', 'startedat', 'featuresnapshotid', 'trainingset', 'parameters', 'contractversions', 'thresholds', 'metrics', 'outcome', 'failure',
    ]);
  });
});

describe('the INSERT of one run', () => {
  const insert = mlRunsInsertStatement(runs, records, '$.run.id');

  it('formats only the run id into the statement, as the partition it reads', () => {
    expect(insert.argumentPaths).toEqual(['$.run.id']);
    expect(insert.template.split('{}')).toHaveLength(2);
    const sql = insert.render([RUN]);
    expect(sql).toMatch(/^INSERT INTO "acme_dev_marketing"\."ml_runs" \("model", "run_id", "execution", "started_at", "finished_at", "duration_ms", /);
    expect(sql).toMatch(new RegExp(`FROM "acme_dev_marketing"\\."churn_run_records" WHERE "run_id" = '${RUN}'$`));
    expect(sql).toContain(`date_diff('millisecond', from_iso8601_timestamp("startedat"), current_timestamp)`);
    expect(trino.validate(sql)).toEqual([]);
  });
});

describe('the DuckDB rendering, on DuckDB', () => {
  const folder = mkdtempSync(join(tmpdir(), 'run-tracking-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const registered = {
    runId: RUN,
    model: 'marketing/churn',
    execution: 'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-marketing-churn-training:e1',
    startedAt: '2026-12-05T15:00:00.250Z',
    parameters: { objective: 'binary:logistic', hyperparameters: { eta: '0.2', objective: 'binary:logistic' } },
    contractVersions: { 'sales/orders': '1.2.0' },
    thresholds: ['validation:auc >= 0.8'],
    featureSnapshotId: '8123456789',
    trainingSet: `s3://audit/ml/marketing/churn/runs/${RUN}/training-set/`,
    metrics: [{ MetricName: 'validation:auc', Value: 0.91, Timestamp: '2026-12-05T15:04:00Z' }, { MetricName: 'validation:logloss', Value: 0.3 }],
    outcome: { status: 'registered', modelPackageArn: 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/g/2', version: 2, approval: 'Approved' },
  };
  // A failure's text is data, quotes and all: it never becomes SQL.
  const failed = {
    runId: FAILED_RUN,
    model: 'marketing/churn',
    execution: 'e2',
    startedAt: '2026-12-05T16:00:00Z',
    parameters: { hyperparameters: {} },
    contractVersions: {},
    thresholds: [],
    outcome: { status: 'failed' },
    failure: { Error: 'Training.NoFeatureData', Cause: "'); DROP TABLE ml_runs; --" },
  };

  async function rowOf(record: object, runId: string) {
    const file = join(folder, `${runId}.json`);
    writeFileSync(file, JSON.stringify(record));
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      const before = Date.now();
      const reader = await connection.runAndReadAll(duckDbRunRowSelect(`(SELECT CAST(content AS JSON) AS record FROM read_text('${file}'))`, runId));
      expect(reader.columnNames()).toEqual(ML_RUNS_COLUMNS.map((column) => column.name));
      const rows = reader.getRowObjectsJson();
      return { rows, before };
    } finally {
      connection.closeSync();
    }
  }

  it("gives a registered run's row: outcome, version, JSON text of parameters, contracts, metrics and gates, and a real duration", async () => {
    const { rows, before } = await rowOf(registered, RUN);
    expect(rows).toHaveLength(1);
    const [row] = rows as [Record<string, unknown>];
    expect(row).toMatchObject({
      model: 'marketing/churn',
      run_id: RUN,
      started_at: '2026-12-05 15:00:00.25',
      outcome: 'registered',
      model_version: 2,
      approval: 'Approved',
      model_package_arn: registered.outcome.modelPackageArn,
      feature_snapshot_id: '8123456789',
      training_set: registered.trainingSet,
      failure: null,
    });
    expect(JSON.parse(row['parameters'] as string)).toEqual(registered.parameters.hyperparameters);
    expect(JSON.parse(row['contract_versions'] as string)).toEqual(registered.contractVersions);
    expect(JSON.parse(row['metrics'] as string)).toEqual({ 'validation:auc': 0.91, 'validation:logloss': 0.3 });
    expect(JSON.parse(row['thresholds'] as string)).toEqual(registered.thresholds);
    // Finished when the INSERT ran; the duration is that minus the start, to the millisecond.
    const finished = Date.parse(`${row['finished_at'] as string}Z`);
    expect(finished).toBeGreaterThanOrEqual(before - 1000);
    expect(Number(row['duration_ms'])).toBe(Math.floor(finished - Date.parse(registered.startedAt)));
  });

  it("gives a failed run's row with its failure as text and no metrics", async () => {
    const { rows } = await rowOf(failed, FAILED_RUN);
    expect(rows).toEqual([expect.objectContaining({ outcome: 'failed', metrics: null, model_version: null, failure: "Training.NoFeatureData: '); DROP TABLE ml_runs; --" })]);
  });

  it('reads only the named run, and refuses a run id that is not a UUID', async () => {
    expect((await rowOf(registered, FAILED_RUN)).rows).toEqual([]);
    expect(() => duckDbRunRowSelect('runs', "x' OR '1'='1")).toThrow("'x' OR '1'='1' is not a run id");
  });
});
