/**
 * The Athena statements of an ML model's batch inference (issue 11 item 2, promotion): the
 * feature table's rows at its pinned snapshot unloaded as the transform job's CSV input, and the
 * job's output inserted into the model's gold `<model>_predictions` Iceberg table, every row
 * carrying the model version and the feature snapshot it was scored from. Pure: data in, SQL out.
 *
 * SageMaker's batch transform joins each output line to its input line and filters fields only
 * for CSV and JSON, so the input is headerless CSV: first one field standing for the whole key
 * (base64url of a JSON array of the key's values: no comma, whatever the values hold), then the
 * features as the training set has them. The job drops the key field before XGBoost reads the
 * line and keeps it with the score in the output, which the output table reads back.
 */
import { athena } from '../sql/athena.ts';
import { duckdb } from '../sql/duckdb.ts';
import { ddlIdentifier } from '../sql/ddl-identifier.ts';
import { quoteString } from '../sql/ansi.ts';
import type { TableColumn } from '../pipeline/iceberg-schema-change.ts';
import type { MlModel } from './model.ts';
import { type FeatureTable, type FormattedStatement, formattedStatement } from './training-queries.ts';

/** The columns every prediction carries besides the key, in table order, with their Athena DDL types. */
export const PREDICTION_COLUMNS: readonly TableColumn[] = [
  { name: 'score', type: 'double' },
  { name: 'model_package_arn', type: 'string' },
  { name: 'model_version', type: 'int' },
  { name: 'feature_snapshot_id', type: 'string' },
  { name: 'run_id', type: 'string' },
  { name: 'predicted_at', type: 'timestamp' },
];

/** The transform output table's columns: the key field and the score, as the job writes them. */
export const INFERENCE_OUTPUT_COLUMNS = { key: 'prediction_key', score: 'score', run: 'run_id' } as const;

/** The transform job's `DataProcessing`: XGBoost reads the features only; the output keeps the key field and the score. */
export const INFERENCE_DATA_PROCESSING = { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' } as const;

/** Content type of the unloaded inference input, as the transform job declares it. */
export const INFERENCE_INPUT_CONTENT_TYPE = 'text/csv';

/** The key columns of a model with their Athena DDL types, from the feature table's columns. */
export function predictionKeyColumns(model: Pick<MlModel, 'id' | 'key'>, featureColumns: readonly TableColumn[]): TableColumn[] {
  return model.key.map((name) => {
    const column = featureColumns.find((candidate) => candidate.name === name);
    if (column === undefined) throw new Error(`ML model '${model.id}': key column '${name}' is not a column of its feature table`);
    return column;
  });
}

/** The predictions table's columns: the key, then `PREDICTION_COLUMNS`. */
export function predictionsTableColumns(model: Pick<MlModel, 'id' | 'key'>, featureColumns: readonly TableColumn[]): TableColumn[] {
  return [...predictionKeyColumns(model, featureColumns), ...PREDICTION_COLUMNS];
}

/**
 * `CREATE TABLE IF NOT EXISTS` of the predictions table, for the Athena DDL custom resource.
 * Partitioned by day of prediction: each promotion writes one batch, read by date or by run.
 */
export function predictionsCreateStatement(table: FeatureTable, location: string, columns: readonly TableColumn[]): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${ddlIdentifier(table.database)}.${ddlIdentifier(table.table)} (`,
    columns.map((column) => `  ${ddlIdentifier(column.name)} ${column.type}`).join(',\n'),
    ')',
    'PARTITIONED BY (day(`predicted_at`))',
    `LOCATION ${quoteString(location)}`,
    `TBLPROPERTIES ('table_type'='ICEBERG')`,
  ].join('\n');
}

function relation(table: FeatureTable): string {
  return `${athena.identifier(table.database)}.${athena.identifier(table.table)}`;
}

/**
 * `UNLOAD` of every row of the feature table at the snapshot `paths.snapshotId` names, as the
 * transform job's input (gzip CSV, no header) to the folder `paths.inputUri` names. Features are
 * cast to DOUBLE as for training; a NULL is an empty field, which XGBoost reads as missing.
 */
export function inferenceUnloadStatement(
  model: Pick<MlModel, 'key' | 'features'>,
  table: FeatureTable,
  paths: { readonly snapshotId: string; readonly inputUri: string },
): FormattedStatement {
  const keyValues = model.key.map((column) => `CAST(${athena.identifier(column)} AS varchar)`).join(', ');
  const keyField = `to_base64url(to_utf8(json_format(CAST(ARRAY[${keyValues}] AS JSON))))`;
  const features = model.features.map((feature) => `coalesce(CAST(CAST(${athena.identifier(feature.name)} AS DOUBLE) AS varchar), '')`);
  return formattedStatement(`ML model batch inference input of ${table.database}.${table.table}`, [
    `UNLOAD (SELECT ${[keyField, ...features].join(', ')} FROM ${relation(table)} FOR VERSION AS OF `,
    `) TO '`,
    `' WITH (format = 'TEXTFILE', field_delimiter = ',')`,
  ], [paths.snapshotId, paths.inputUri]);
}

/** The Trino type a DDL type is cast to in DML. */
function dmlType(ddlType: string): string {
  if (ddlType === 'string') return 'varchar';
  if (ddlType === 'int') return 'integer';
  return ddlType;
}

export interface PredictionValuePaths {
  readonly modelPackageArn: string;
  readonly modelVersion: string;
  readonly snapshotId: string;
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly predictedAt: string;
}

/**
 * `INSERT INTO` the predictions table of the transform output of one run (`output` is the
 * external table over the job's output, partitioned by run id), the key decoded back into its
 * typed columns and every row stamped with the version, snapshot, run and time of `paths`.
 */
export function predictionsInsertStatement(
  predictions: FeatureTable,
  output: FeatureTable,
  keyColumns: readonly TableColumn[],
  paths: PredictionValuePaths,
): FormattedStatement {
  const key = `json_parse(from_utf8(from_base64url(${athena.identifier(INFERENCE_OUTPUT_COLUMNS.key)})))`;
  const keys = keyColumns.map(
    (column, index) => `CAST(json_extract_scalar(${key}, '$[${index}]') AS ${dmlType(column.type)}) AS ${athena.identifier(column.name)}`,
  );
  const target = [...keyColumns, ...PREDICTION_COLUMNS].map((column) => athena.identifier(column.name)).join(', ');
  return formattedStatement(`ML model predictions of ${predictions.database}.${predictions.table}`, [
    `INSERT INTO ${relation(predictions)} (${target}) SELECT ${[...keys, `CAST(${athena.identifier(INFERENCE_OUTPUT_COLUMNS.score)} AS DOUBLE)`].join(', ')}, '`,
    `', CAST('`,
    `' AS integer), '`,
    `', '`,
    `', CAST(from_iso8601_timestamp('`,
    `') AS timestamp(6)) FROM ${relation(output)} WHERE ${athena.identifier(INFERENCE_OUTPUT_COLUMNS.run)} = '`,
    `'`,
  ], [paths.modelPackageArn, paths.modelVersion, paths.snapshotId, paths.runId, paths.predictedAt, paths.runId]);
}

/**
 * The DuckDB rendering of the inference UNLOAD: the SELECT alone, over `relation`, the feature
 * table at the pinned snapshot as the offline lake names it; the caller writes its rows as
 * headerless gzip CSV. The key field is the same base64url text, and a missing feature is NULL,
 * which DuckDB writes as an empty field as Athena writes its empty string (an empty string DuckDB
 * would quote).
 */
export function duckDbInferenceSelect(model: Pick<MlModel, 'key' | 'features'>, relation: string): string {
  const keyValues = model.key.map((column) => `CAST(${duckdb.identifier(column)} AS VARCHAR)`).join(', ');
  const keyField = `replace(replace(to_base64(encode(CAST(to_json(list_value(${keyValues})) AS VARCHAR))), '+', '-'), '/', '_')`;
  const features = model.features.map((feature) => `CAST(CAST(${duckdb.identifier(feature.name)} AS DOUBLE) AS VARCHAR)`);
  return `SELECT ${[keyField, ...features].join(', ')} FROM ${relation}`;
}

/** The prediction values of one run, as `predictionsInsertStatement` takes them from the execution. */
export interface PredictionValues {
  readonly modelPackageArn: string;
  readonly modelVersion: string;
  readonly snapshotId: string;
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly predictedAt: string;
}

/**
 * The DuckDB rendering of the predictions INSERT's SELECT over `output`, a relation with the
 * transform output's columns (`INFERENCE_OUTPUT_COLUMNS.key`, `.score`) of one run: the key decoded
 * into its columns, cast to `keyTypes` (DuckDB types, in key order), every row stamped with `values`.
 */
export function duckDbPredictionsSelect(keyColumns: readonly TableColumn[], keyTypes: readonly string[], output: string, values: PredictionValues): string {
  const key = `decode(from_base64(replace(replace(${duckdb.identifier(INFERENCE_OUTPUT_COLUMNS.key)}, '-', '+'), '_', '/')))`;
  const keys = keyColumns.map((column, index) => `CAST(json_extract_string(${key}, '$[${index}]') AS ${keyTypes[index]}) AS ${duckdb.identifier(column.name)}`);
  const stamps = [
    `CAST(${duckdb.identifier(INFERENCE_OUTPUT_COLUMNS.score)} AS DOUBLE)`,
    quoteString(values.modelPackageArn),
    `CAST(${quoteString(values.modelVersion)} AS INTEGER)`,
    quoteString(values.snapshotId),
    quoteString(values.runId),
    // Execution start times are UTC with a Z, which a TIMESTAMP cast reads as UTC.
    `CAST(${quoteString(values.predictedAt)} AS TIMESTAMP)`,
  ].map((value, index) => `${value} AS ${duckdb.identifier(PREDICTION_COLUMNS[index]!.name)}`);
  return `SELECT ${[...keys, ...stamps].join(', ')} FROM ${output}`;
}
