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
import { quoteIdentifier, quoteString } from '../sql/ansi.ts';
import { TARGET_PLACEHOLDER } from '../pipeline/lake-write.ts';
import type { TableColumn } from '../pipeline/iceberg-schema-change.ts';
import type { MlModel } from './model.ts';
import { type FeatureTable, type FormattedStatement, formattedStatement } from './training-queries.ts';

/** The column naming the version of the model package that scored a row. */
export const PREDICTION_VERSION_COLUMN = 'model_version';

/** The columns every prediction carries besides the key, in table order, with their Athena DDL types. */
export const PREDICTION_COLUMNS: readonly TableColumn[] = [
  { name: 'score', type: 'double' },
  { name: 'model_package_arn', type: 'string' },
  { name: PREDICTION_VERSION_COLUMN, type: 'int' },
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

/** The values one run stamps on its predictions: JSONPaths in the definition, the values themselves offline. */
export interface PredictionValues {
  readonly modelPackageArn: string;
  readonly modelVersion: string;
  readonly snapshotId: string;
  readonly runId: string;
  /** ISO-8601 UTC. */
  readonly predictedAt: string;
}

/** A name for the MERGE's marker column that no column of the predictions table takes (Glue ignores case). */
function markerColumn(columns: readonly TableColumn[]): string {
  const taken = new Set(columns.map((column) => column.name.toLowerCase()));
  let name = '__replaces_version';
  while (taken.has(name)) name = `_${name}`;
  return name;
}

/**
 * ONE MERGE that replaces every row of the predictions table of the version `version` stands for
 * (an SQL integer expression) by the rows `select` gives (the table's columns in order), so a
 * promotion that failed after it and is delivered again leaves the version's rows once, from its
 * last run. The source is the new rows, whose marker is NULL so they never match and are
 * inserted, plus one marker row holding the version, which every published row of that version
 * matches exactly once (as MERGE requires) and which deletes it; other versions' rows match
 * nothing and stay. One statement is one Iceberg commit: no reader sees the version half replaced.
 */
function versionReplacement(target: string, select: string, columns: readonly TableColumn[], version: string): string {
  const marker = quoteIdentifier(markerColumn(columns));
  const names = columns.map((column) => quoteIdentifier(column.name));
  return [
    `MERGE INTO ${target} AS t USING (`,
    `SELECT ${names.map((name) => `r.${name}`).join(', ')}, CAST(NULL AS integer) AS ${marker} FROM (${select}) AS r`,
    `UNION ALL SELECT ${names.map(() => 'NULL').join(', ')}, ${version}`,
    `) AS s ON t.${quoteIdentifier(PREDICTION_VERSION_COLUMN)} = s.${marker}`,
    'WHEN MATCHED THEN DELETE',
    `WHEN NOT MATCHED AND s.${marker} IS NULL THEN INSERT (${names.join(', ')}) VALUES (${names.map((name) => `s.${name}`).join(', ')})`,
  ].join('\n');
}

/**
 * The predictions of one run (`output` is the external table over the transform jobs' output,
 * partitioned by run id) written in place of any earlier rows of the same version
 * (`versionReplacement`): the key decoded back into its typed columns and every row stamped with
 * the version, snapshot, run and time of `paths`. The version is a number (the machine refuses
 * any other) and the ARN SageMaker's own, both from DescribeModelPackage, never from the event.
 */
export function predictionsMergeStatement(
  predictions: FeatureTable,
  output: FeatureTable,
  keyColumns: readonly TableColumn[],
  paths: PredictionValues,
): FormattedStatement {
  const key = `json_parse(from_utf8(from_base64url(${athena.identifier(INFERENCE_OUTPUT_COLUMNS.key)})))`;
  const keys = keyColumns.map(
    (column, index) => `CAST(json_extract_scalar(${key}, '$[${index}]') AS ${dmlType(column.type)}) AS ${athena.identifier(column.name)}`,
  );
  const stamps = [
    `CAST(${athena.identifier(INFERENCE_OUTPUT_COLUMNS.score)} AS DOUBLE)`,
    `'{}'`,
    `CAST('{}' AS integer)`,
    `'{}'`,
    `'{}'`,
    `CAST(from_iso8601_timestamp('{}') AS timestamp(6))`,
  ].map((value, index) => `${value} AS ${athena.identifier(PREDICTION_COLUMNS[index]!.name)}`);
  const select = `SELECT ${[...keys, ...stamps].join(', ')} FROM ${relation(output)} WHERE ${athena.identifier(INFERENCE_OUTPUT_COLUMNS.run)} = '{}'`;
  const merge = versionReplacement(relation(predictions), select, [...keyColumns, ...PREDICTION_COLUMNS], `CAST('{}' AS integer)`);
  return formattedStatement(`ML model predictions of ${predictions.database}.${predictions.table}`, merge.split('{}'), [
    paths.modelPackageArn,
    paths.modelVersion,
    paths.snapshotId,
    paths.runId,
    paths.predictedAt,
    paths.runId,
    paths.modelVersion,
  ]);
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

/**
 * The DuckDB rendering of the predictions MERGE on the lake's `{{target}}`, from `output`, a
 * relation with the transform output's columns (`INFERENCE_OUTPUT_COLUMNS.key`, `.score`) of one
 * run: the key decoded into its columns, cast to `keyTypes` (DuckDB types, in key order), every
 * row stamped with `values`, replacing the rows of the same version (`versionReplacement`).
 */
export function duckDbPredictionsMerge(keyColumns: readonly TableColumn[], keyTypes: readonly string[], output: string, values: PredictionValues): string {
  const key = `decode(from_base64(replace(replace(${duckdb.identifier(INFERENCE_OUTPUT_COLUMNS.key)}, '-', '+'), '_', '/')))`;
  const keys = keyColumns.map((column, index) => `CAST(json_extract_string(${key}, '$[${index}]') AS ${keyTypes[index]}) AS ${duckdb.identifier(column.name)}`);
  const version = `CAST(${quoteString(values.modelVersion)} AS INTEGER)`;
  const stamps = [
    `CAST(${duckdb.identifier(INFERENCE_OUTPUT_COLUMNS.score)} AS DOUBLE)`,
    quoteString(values.modelPackageArn),
    version,
    quoteString(values.snapshotId),
    quoteString(values.runId),
    // Execution start times are UTC with a Z, which a TIMESTAMP cast reads as UTC.
    `CAST(${quoteString(values.predictedAt)} AS TIMESTAMP)`,
  ].map((value, index) => `${value} AS ${duckdb.identifier(PREDICTION_COLUMNS[index]!.name)}`);
  return versionReplacement(TARGET_PLACEHOLDER, `SELECT ${[...keys, ...stamps].join(', ')} FROM ${output}`, [...keyColumns, ...PREDICTION_COLUMNS], version);
}
