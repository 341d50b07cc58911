/**
 * The Athena statements of ML run tracking (issue 11 item 3): the domain's Iceberg `ml_runs` table,
 * one row per training run whatever its outcome, and the external JSON table over one model's run
 * records in the audit zone, from which each run's row is inserted. Pure: data in, SQL text out.
 *
 * Nothing a run produced is formatted into SQL text but its run id, which `States.UUID()` made
 * (PrepareRun overwrites `$.run`, so an execution's input cannot choose it) and which the offline
 * runtime checks against `RUN_ID_PATTERN` before it runs anything: every other value (the
 * metrics, the failure's text, the version's ARN) is read by the engine from the record itself.
 */
import { athena } from '../sql/athena.ts';
import { quoteString } from '../sql/ansi.ts';
import { ddlIdentifier } from '../sql/ddl-identifier.ts';
import { duckdb } from '../sql/duckdb.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import type { TableColumn } from '../pipeline/iceberg-schema-change.ts';
import { athenaDdlType } from '../transforms/gold-table.ts';
import { type FeatureTable, type FormattedStatement, formattedStatement } from './training-queries.ts';

/** `States.UUID()`'s shape: what a run id must be before it goes into a statement. */
export const RUN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Throws unless `runId` has `RUN_ID_PATTERN`'s shape; returns it. */
export function checkedRunId(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`'${runId}' is not a run id (a lowercase UUID, as States.UUID() makes)`);
  return runId;
}

/** The `ml_runs` columns in table order, with their DuckDB types (the offline lake's; Athena's follow by `athenaDdlType`). */
export const ML_RUNS_COLUMNS: readonly LakeColumn[] = [
  { name: 'model', type: 'VARCHAR' },
  { name: 'run_id', type: 'VARCHAR' },
  { name: 'execution', type: 'VARCHAR' },
  { name: 'started_at', type: 'TIMESTAMP' },
  { name: 'finished_at', type: 'TIMESTAMP' },
  { name: 'duration_ms', type: 'BIGINT' },
  { name: 'outcome', type: 'VARCHAR' },
  { name: 'model_package_arn', type: 'VARCHAR' },
  { name: 'model_version', type: 'INTEGER' },
  { name: 'approval', type: 'VARCHAR' },
  { name: 'feature_snapshot_id', type: 'VARCHAR' },
  { name: 'training_set', type: 'VARCHAR' },
  /** JSON text: the training job's hyperparameters, objective and eval_metric among them. */
  { name: 'parameters', type: 'VARCHAR' },
  /** JSON text: `{"<domain>/<dataset>": "<contract version>"}` of the feature model's inputs. */
  { name: 'contract_versions', type: 'VARCHAR' },
  /** JSON text: `{"validation:auc": 0.93, ...}`, the job's final metrics; null for a run that did not train. */
  { name: 'metrics', type: 'VARCHAR' },
  /** JSON text: the gates, `["validation:auc >= 0.8", ...]`. */
  { name: 'thresholds', type: 'VARCHAR' },
  /** `<error>: <cause>` of a failed run. */
  { name: 'failure', type: 'VARCHAR' },
];

/** `ML_RUNS_COLUMNS` in Athena DDL types. */
export function mlRunsTableColumns(): TableColumn[] {
  return ML_RUNS_COLUMNS.map((column) => ({ name: column.name, type: athenaDdlType(column.type)! }));
}

/** `CREATE TABLE IF NOT EXISTS` of a domain's `ml_runs`, for the Athena DDL custom resource. */
export function mlRunsCreateStatement(table: FeatureTable, location: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${ddlIdentifier(table.database)}.${ddlIdentifier(table.table)} (`,
    mlRunsTableColumns().map((column) => `  ${ddlIdentifier(column.name)} ${column.type}`).join(',\n'),
    ')',
    `LOCATION ${quoteString(location)}`,
    `TBLPROPERTIES ('table_type'='ICEBERG')`,
  ].join('\n');
}

/**
 * The run record's fields the table reads, as the training machine writes them (camelCase). The
 * Hive JSON SerDe matches keys case-insensitively, so each column is its field in lowercase.
 */
export const RUN_RECORD_FIELDS = {
  runId: { field: 'runId', type: 'string' },
  model: { field: 'model', type: 'string' },
  execution: { field: 'execution', type: 'string' },
  startedAt: { field: 'startedAt', type: 'string' },
  featureSnapshotId: { field: 'featureSnapshotId', type: 'string' },
  trainingSet: { field: 'trainingSet', type: 'string' },
  parameters: { field: 'parameters', type: 'struct<hyperparameters:map<string,string>>' },
  contractVersions: { field: 'contractVersions', type: 'map<string,string>' },
  thresholds: { field: 'thresholds', type: 'array<string>' },
  metrics: { field: 'metrics', type: 'array<struct<metricname:string,value:double>>' },
  outcome: { field: 'outcome', type: 'struct<status:string,modelpackagearn:string,version:int,approval:string>' },
  failure: { field: 'failure', type: 'struct<error:string,cause:string>' },
} as const;

/** The records table's partition column: one partition per run, its folder the run's records folder. */
export const RUN_RECORDS_PARTITION = 'run_id';

/** The records table's data columns for Glue, in the Hive JSON SerDe's lowercase. */
export function runRecordsTableColumns(): TableColumn[] {
  return Object.values(RUN_RECORD_FIELDS).map(({ field, type }) => ({ name: field.toLowerCase(), type }));
}

/** One expression per `ML_RUNS_COLUMNS` entry, in order, over the record of one run. */
interface RunRowExpressions {
  readonly [column: string]: string;
}

function athenaRowExpressions(): RunRowExpressions {
  const column = (key: keyof typeof RUN_RECORD_FIELDS) => athena.identifier(RUN_RECORD_FIELDS[key].field.toLowerCase());
  const member = (key: keyof typeof RUN_RECORD_FIELDS, name: string) => `${column(key)}.${athena.identifier(name)}`;
  const startedAt = `from_iso8601_timestamp(${column('startedAt')})`;
  const json = (expression: string) => `json_format(CAST(${expression} AS JSON))`;
  return {
    model: column('model'),
    run_id: column('runId'),
    execution: column('execution'),
    started_at: `CAST(${startedAt} AS timestamp(6))`,
    // The INSERT's clock: the run is over once its record is written, just before.
    finished_at: 'CAST(current_timestamp AS timestamp(6))',
    duration_ms: `date_diff('millisecond', ${startedAt}, current_timestamp)`,
    outcome: member('outcome', 'status'),
    model_package_arn: member('outcome', 'modelpackagearn'),
    model_version: member('outcome', 'version'),
    approval: member('outcome', 'approval'),
    feature_snapshot_id: column('featureSnapshotId'),
    training_set: column('trainingSet'),
    parameters: json(member('parameters', 'hyperparameters')),
    contract_versions: json(column('contractVersions')),
    // A map, not the rows as they are: Trino casts a ROW to a JSON array, losing the names.
    metrics: json(`map_from_entries(transform(${column('metrics')}, m -> ROW(m.metricname, m.value)))`),
    thresholds: json(column('thresholds')),
    failure: `nullif(concat_ws(': ', ${member('failure', 'error')}, ${member('failure', 'cause')}), '')`,
  };
}

/**
 * `INSERT INTO` the domain's `ml_runs` of the run whose id is at `runIdPath`, read from its record
 * through `records` (the model's run records table, partitioned by run id: only that run's folder
 * is read).
 */
export function mlRunsInsertStatement(runs: FeatureTable, records: FeatureTable, runIdPath: string): FormattedStatement {
  const expressions = athenaRowExpressions();
  const target = ML_RUNS_COLUMNS.map((column) => athena.identifier(column.name)).join(', ');
  const values = ML_RUNS_COLUMNS.map((column) => expressions[column.name]!).join(', ');
  return formattedStatement(`ML run of ${records.database}.${records.table}`, [
    `INSERT INTO ${athena.identifier(runs.database)}.${athena.identifier(runs.table)} (${target}) SELECT ${values} FROM ${athena.identifier(records.database)}.${athena.identifier(records.table)} WHERE ${athena.identifier(RUN_RECORDS_PARTITION)} = '`,
    `'`,
  ], [runIdPath]);
}

/** The DuckDB column holding each record as JSON in the relation `duckDbRunRowSelect` reads. */
export const RUN_RECORD_JSON_COLUMN = 'record';

/**
 * The DuckDB rendering of the INSERT's SELECT: the row of run `runId` from `relation`, which holds
 * run records as JSON in `RUN_RECORD_JSON_COLUMN`; the columns in `ML_RUNS_COLUMNS` order, as
 * Athena's statement gives them. Throws when `runId` is not a run id.
 */
export function duckDbRunRowSelect(relation: string, runId: string): string {
  const record = duckdb.identifier(RUN_RECORD_JSON_COLUMN);
  const path = (...names: string[]) => quoteString(`$.${names.join('.')}`);
  const text = (...names: string[]) => `json_extract_string(${record}, ${path(...names)})`;
  const json = (...names: string[]) => `CAST(json_extract(${record}, ${path(...names)}) AS VARCHAR)`;
  const f = RUN_RECORD_FIELDS;
  const startedAt = `CAST(${text(f.startedAt.field)} AS TIMESTAMPTZ)`;
  const metrics = `json_extract(${record}, ${path(f.metrics.field)})`;
  const expressions: RunRowExpressions = {
    model: text(f.model.field),
    run_id: text(f.runId.field),
    execution: text(f.execution.field),
    started_at: `timezone('UTC', ${startedAt})`,
    finished_at: `timezone('UTC', current_timestamp)`,
    duration_ms: `date_diff('millisecond', ${startedAt}, current_timestamp)`,
    outcome: text(f.outcome.field, 'status'),
    model_package_arn: text(f.outcome.field, 'modelPackageArn'),
    model_version: `CAST(${text(f.outcome.field, 'version')} AS INTEGER)`,
    approval: text(f.outcome.field, 'approval'),
    feature_snapshot_id: text(f.featureSnapshotId.field),
    training_set: text(f.trainingSet.field),
    parameters: json(f.parameters.field, 'hyperparameters'),
    contract_versions: json(f.contractVersions.field),
    metrics:
      `CASE WHEN ${metrics} IS NULL THEN NULL ELSE (SELECT CAST(json_group_object(m->>'MetricName', CAST(m->>'Value' AS DOUBLE)) AS VARCHAR) ` +
      `FROM unnest(CAST(${metrics} AS JSON[])) AS metric(m)) END`,
    thresholds: json(f.thresholds.field),
    failure: `nullif(concat_ws(': ', ${text(f.failure.field, 'Error')}, ${text(f.failure.field, 'Cause')}), '')`,
  };
  const columns = ML_RUNS_COLUMNS.map((column) => `${expressions[column.name]!} AS ${duckdb.identifier(column.name)}`).join(', ');
  return `SELECT ${columns} FROM ${relation} WHERE ${text(f.runId.field)} = ${quoteString(checkedRunId(runId))}`;
}
