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
  predictionsMergeStatement,
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
  const insert = predictionsMergeStatement(predictions, output, predictionsTableColumns(model, featureColumns).slice(0, 2), {
    modelPackageArn: '$.version.arn',
    modelVersion: '$.version.number',
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

  it("merges the run's output in place of the version's earlier rows, the key decoded into typed columns, with version, snapshot, run and time", () => {
    expect(insert.argumentPaths).toEqual(['$.version.arn', '$.version.number', '$.snapshot.id', '$.run.id', '$.run.startedAt', '$.run.id', '$.version.number']);
    const sql = insert.render([arn, '3', '8123456789', run, '2026-12-05T14:00:00.000Z', run, '3']);
    expect(trino.validate(sql)).toEqual([]);
    const columns = '"customer_id", "region", "score", "model_package_arn", "model_version", "feature_snapshot_id", "run_id", "predicted_at"';
    expect(sql).toBe(
      [
        'MERGE INTO "acme_dev_marketing"."churn_predictions" AS t USING (',
        `SELECT ${columns.replace(/"/g, '').split(', ').map((name) => `r."${name}"`).join(', ')}, CAST(NULL AS integer) AS "__replaces_version" FROM (` +
          `SELECT CAST(json_extract_scalar(json_parse(from_utf8(from_base64url("prediction_key"))), '$[0]') AS bigint) AS "customer_id", ` +
          `CAST(json_extract_scalar(json_parse(from_utf8(from_base64url("prediction_key"))), '$[1]') AS varchar) AS "region", ` +
          `CAST("score" AS DOUBLE) AS "score", '${arn}' AS "model_package_arn", CAST('3' AS integer) AS "model_version", '8123456789' AS "feature_snapshot_id", ` +
          `'${run}' AS "run_id", CAST(from_iso8601_timestamp('2026-12-05T14:00:00.000Z') AS timestamp(6)) AS "predicted_at" ` +
          `FROM "acme_dev_marketing"."churn_inference_output" WHERE "run_id" = '${run}') AS r`,
        "UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, CAST('3' AS integer)",
        ') AS s ON t."model_version" = s."__replaces_version"',
        'WHEN MATCHED THEN DELETE',
        `WHEN NOT MATCHED AND s."__replaces_version" IS NULL THEN INSERT (${columns}) VALUES (${columns.replace(/"([a-z_]+)"/g, 's."$1"')})`,
      ].join('\n'),
    );
    expect(PREDICTION_COLUMNS.map((column) => column.name)).toEqual(['score', 'model_package_arn', 'model_version', 'feature_snapshot_id', 'run_id', 'predicted_at']);
  });

  it('parses as Trino SQL once rendered', () => {
    const query = unload.render(['8123456789', 's3://audit/x/']).replace(/^UNLOAD \((.*)\) TO .*$/, '$1');
    expect(trino.validate(query)).toEqual([]);
  });
});
