/**
 * The batch inference statements (lib/ml/prediction-queries.ts): parsed with Trino's grammar
 * (Athena engine v3), the key carried through the transform job as one field and decoded back
 * into its typed columns, every prediction stamped with the version, snapshot and run.
 */
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';
import { describe, expect, it } from 'vitest';
import {
  inferenceUnloadStatement,
  PREDICTION_COLUMNS,
  predictionsCreateStatement,
  predictionsInsertStatement,
  predictionsTableColumns,
} from '../../lib/ml/prediction-queries.ts';

const trino = new TrinoSQL();
const model = {
  id: 'marketing/churn',
  key: ['customer_id', 'region'],
  features: [
    { name: 'orders_90d', type: 'BIGINT' },
    { name: 'is_member', type: 'BOOLEAN' },
  ],
};
const featureColumns = [
  { name: 'customer_id', type: 'bigint' },
  { name: 'region', type: 'string' },
  { name: 'orders_90d', type: 'bigint' },
  { name: 'is_member', type: 'boolean' },
];
const features = { database: 'acme_dev_marketing', table: 'customer_churn_features' };
const predictions = { database: 'acme_dev_marketing', table: 'churn_predictions' };
const output = { database: 'acme_dev_marketing', table: 'churn_inference_output' };

describe('the predictions table', () => {
  it('has the key columns typed as the feature table has them, then score and lineage', () => {
    expect(predictionsTableColumns(model, featureColumns)).toEqual([
      { name: 'customer_id', type: 'bigint' },
      { name: 'region', type: 'string' },
      { name: 'score', type: 'double' },
      { name: 'model_package_arn', type: 'string' },
      { name: 'model_version', type: 'int' },
      { name: 'feature_snapshot_id', type: 'string' },
      { name: 'run_id', type: 'string' },
      { name: 'predicted_at', type: 'timestamp' },
    ]);
  });

  it('names a key column missing from the feature table', () => {
    expect(() => predictionsTableColumns({ id: 'marketing/churn', key: ['client_id'] }, featureColumns)).toThrow(
      "ML model 'marketing/churn': key column 'client_id' is not a column of its feature table",
    );
  });

  it('is an Iceberg table partitioned by day of prediction', () => {
    const statement = predictionsCreateStatement(predictions, 's3://acme-dev-gold/marketing/churn_predictions/', predictionsTableColumns(model, featureColumns));
    expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS `acme_dev_marketing`\.`churn_predictions` \(\n {2}`customer_id` bigint,\n/);
    expect(statement).toContain('PARTITIONED BY (day(`predicted_at`))');
    expect(statement).toContain("LOCATION 's3://acme-dev-gold/marketing/churn_predictions/'");
    expect(statement).toMatch(/TBLPROPERTIES \('table_type'='ICEBERG'\)$/);
  });
});

describe('the batch inference statements', () => {
  const unload = inferenceUnloadStatement(model, features, { snapshotId: '$.snapshot.id', inputUri: '$.files.input' });
  const insert = predictionsInsertStatement(predictions, output, predictionsTableColumns(model, featureColumns).slice(0, 2), {
    modelPackageArn: '$.detail.ModelPackageArn',
    modelVersion: '$.detail.ModelPackageVersion',
    snapshotId: '$.snapshot.id',
    runId: '$.run.id',
    predictedAt: '$.run.startedAt',
  });
  const arn = 'arn:aws:sagemaker:eu-west-1:111111111111:model-package/acme-dev-marketing-churn/3';
  const run = '0b4e7a4c-3f1a-4f5e-9d7c-2a1b3c4d5e6f';

  it('unloads the key as one field and the features as DOUBLE, at the pinned snapshot, as headerless CSV', () => {
    expect(unload.argumentPaths).toEqual(['$.snapshot.id', '$.files.input']);
    const sql = unload.render(['8123456789', 's3://audit/ml/marketing/churn/predictions/r1/input/']);
    expect(sql).toBe(
      'UNLOAD (SELECT to_base64url(to_utf8(json_format(CAST(ARRAY[CAST("customer_id" AS varchar), CAST("region" AS varchar)] AS JSON)))), ' +
        `coalesce(CAST(CAST("orders_90d" AS DOUBLE) AS varchar), ''), coalesce(CAST(CAST("is_member" AS DOUBLE) AS varchar), '') ` +
        'FROM "acme_dev_marketing"."customer_churn_features" FOR VERSION AS OF 8123456789) ' +
        "TO 's3://audit/ml/marketing/churn/predictions/r1/input/' WITH (format = 'TEXTFILE', field_delimiter = ',')",
    );
    expect(unload.template).not.toMatch(/[\\]/);
  });

  it('inserts the run\'s output, the key decoded into typed columns, with version, snapshot, run and time', () => {
    expect(insert.argumentPaths).toEqual(['$.detail.ModelPackageArn', '$.detail.ModelPackageVersion', '$.snapshot.id', '$.run.id', '$.run.startedAt', '$.run.id']);
    const sql = insert.render([arn, '3', '8123456789', run, '2026-12-05T14:00:00.000Z', run]);
    expect(trino.validate(sql)).toEqual([]);
    expect(sql).toBe(
      'INSERT INTO "acme_dev_marketing"."churn_predictions" ("customer_id", "region", "score", "model_package_arn", "model_version", "feature_snapshot_id", "run_id", "predicted_at") ' +
        `SELECT CAST(json_extract_scalar(json_parse(from_utf8(from_base64url("prediction_key"))), '$[0]') AS bigint) AS "customer_id", ` +
        `CAST(json_extract_scalar(json_parse(from_utf8(from_base64url("prediction_key"))), '$[1]') AS varchar) AS "region", ` +
        `CAST("score" AS DOUBLE), '${arn}', CAST('3' AS integer), '8123456789', '${run}', CAST(from_iso8601_timestamp('2026-12-05T14:00:00.000Z') AS timestamp(6)) ` +
        `FROM "acme_dev_marketing"."churn_inference_output" WHERE "run_id" = '${run}'`,
    );
    expect(PREDICTION_COLUMNS.map((column) => column.name)).toEqual(['score', 'model_package_arn', 'model_version', 'feature_snapshot_id', 'run_id', 'predicted_at']);
  });

  it('parses as Trino SQL once rendered', () => {
    const query = unload.render(['8123456789', 's3://audit/x/']).replace(/^UNLOAD \((.*)\) TO .*$/, '$1');
    expect(trino.validate(query)).toEqual([]);
  });
});
