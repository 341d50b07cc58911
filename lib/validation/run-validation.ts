import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Dataset } from '../contracts/model.ts';
import { fillPlaceholders } from '../contracts/sql-placeholders.ts';
import { duckdb } from '../sql/duckdb.ts';
import { confineFileAccess, type FileAccess } from '../sql/duckdb-file-access.ts';
import { duckDbOneSelectProblem } from '../sql/duckdb-one-select.ts';
import { compileValidation, type CompiledRowRule, type CompiledValidation } from './compile.ts';
import { notEvaluatedRules } from './derive-rules.ts';
import type { Disposition } from './disposition.ts';
import { planDisposition } from './disposition.ts';
import { evaluateRules, type SqlOutcome } from './evaluate.ts';
import { jsonValue, numberValue } from './json-value.ts';
import { notEvaluatedResult } from './not-evaluated.ts';
import { structuredValueFlags } from './read/structured-values.ts';
import type { RuleResult, ValidationReport } from './report.ts';
import { sampledRows, samplesQuery, toSamples } from './samples.ts';

/**
 * DuckDB's memory limit for one validation. Measured on 5M narrow CSV rows, 2 cores: the exact
 * duplicate-key aggregate sets the process's peak RSS, 430-460 MB with this limit, 480-510 MB
 * with 250MB and 510-550 MB with 300MB, at the same speed.
 */
export const DEFAULT_MEMORY_LIMIT = '200MB';

/** Where a file's rows went: together always the rows read. */
export interface RowSplit {
  readonly rowsPassed: number;
  readonly rowsQuarantined: number;
}

export interface RunOptions {
  /** When the file arrived; freshness is measured against it. */
  readonly ingestTime: Date;
  /** The file as the report names it: a path or an `s3://` URI. */
  readonly file: string;
  readonly startedAt: Date;
  /**
   * Sends the rows where the disposition puts them and says how many went each way, so the
   * counts come from the writes rather than from another scan.
   * @default the rows are only counted
   */
  readonly splitRows?: (disposition: Disposition, rowCount: number) => Promise<RowSplit>;
}

export interface ValidationRun {
  readonly report: ValidationReport;
  readonly compiled: CompiledValidation;
  /** The queries that split the file's rows; run on the same connection while the relation exists. */
  readonly disposition: Disposition;
}

/**
 * A DuckDB instance set up to validate one file. Its home, extension and spill directories go
 * under `scratch`: Lambda can write only /tmp, and DuckDB crashes without a home. Freed memory
 * goes back to the system between queries (about 40 MB less peak RSS on 5M CSV rows), so the key
 * aggregate does not stack on what the first scan's CSV buffers left. Insertion order stays
 * preserved: without it the typed Parquet COPY of a CSV file took twice as long, for no lower peak.
 *
 * A contract's SQL rules run on this connection, so it can open only what `access` names (the
 * file validated, the output directory) and its configuration is locked: a statement that slipped
 * past the contract's parser still cannot read or write another file.
 */
export async function openDuckDb(
  scratch: string,
  memoryLimit: string = DEFAULT_MEMORY_LIMIT,
  access: FileAccess = {},
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', {
    memory_limit: memoryLimit,
    threads: String(availableParallelism()),
    allocator_flush_threshold: '32MB',
    allocator_background_threads: 'true',
    home_directory: scratch,
    extension_directory: join(scratch, 'extensions'),
    temp_directory: join(scratch, 'spill'),
  });
  const connection = await instance.connect();
  // Set on the connection: the time zone setting needs the ICU extension, loaded only by then.
  await connection.run("SET TimeZone = 'UTC'");
  await confineFileAccess(connection, access);
  return { instance, connection };
}

/** Sets UTC unless the connection has it already: a connection from `openDuckDb` is locked and has it. */
async function useUtc(connection: DuckDBConnection): Promise<void> {
  const [[zone] = []] = await rows(connection, "SELECT current_setting('TimeZone')");
  if (zone !== 'UTC') await connection.run("SET TimeZone = 'UTC'");
}

async function rows(connection: DuckDBConnection, sql: string): Promise<DuckDBValue[][]> {
  return (await connection.runAndReadAll(sql)).getRows();
}

/** Contract columns the relation holds in another type than VARCHAR (Parquet), so they are converted, not parsed. */
export async function nativeColumns(connection: DuckDBConnection, relation: string, dataset: Dataset): Promise<string[]> {
  const described = await connection.runAndReadAll(`DESCRIBE ${relation}`);
  const types = new Map(described.getRowObjects().map((row) => [String(row['column_name']), String(row['column_type'])]));
  return dataset.columns.filter((column) => types.has(column.name) && types.get(column.name) !== 'VARCHAR').map((column) => column.name);
}

async function readMetrics(connection: DuckDBConnection, compiled: CompiledValidation): Promise<Map<string, number | null>> {
  const reader = await connection.runAndReadAll(compiled.metricsQuery);
  const [row] = reader.getRows();
  if (row === undefined) throw new Error('the metrics query returned no row');
  return new Map(reader.columnNames().map((alias, index) => [alias, numberValue(row[index] ?? null)]));
}

/** The view `{object}` stands for in SQL rules: `_row` and every contract column, typed. */
function typedView(relationName: string): string {
  return duckdb.identifier(`${relationName}__typed`);
}

/**
 * A user-written query, checked by DuckDB's own parse, then run; undefined when it ran. A query that
 * fails or is refused fails its rule with a message: a broken rule must not stop the file's other
 * checks. A query DuckDB does not read as one SELECT is not run (the contract was parsed with
 * Athena's grammar at load; the two grammars differ at the edges).
 */
async function runSqlRuleQuery(connection: DuckDBConnection, query: string, run: (checked: string) => Promise<void>): Promise<string | undefined> {
  try {
    const refused = await duckDbOneSelectProblem(connection, query);
    if (refused !== undefined) return `not run: ${refused}`;
    await run(query);
    return undefined;
  } catch (error) {
    return `query failed: ${(error as Error).message}`;
  }
}

/**
 * The typed view, and for each sql rule judged by row the table of the rows its query selects
 * (`CompileOptions.sqlRowsTable`), which the metrics scan reads. A query that cannot run leaves
 * its table empty and its error as the rule's outcome.
 */
async function selectSqlRuleRows(
  connection: DuckDBConnection,
  compiled: CompiledValidation,
  relationName: string,
  sqlRowsTable: (index: number) => string,
): Promise<Map<string, SqlOutcome>> {
  const outcomes = new Map<string, SqlOutcome>();
  if (!compiled.rules.some(({ rule }) => rule.kind === 'sql')) return outcomes;
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${typedView(relationName)} AS\n${compiled.typedSelect}`);
  for (const [index, { rule, rowsQuery }] of compiled.sqlRowRules.entries()) {
    const query = sqlRuleQuery({ query: rowsQuery, column: rule.columns[0] ?? null }, typedView(relationName));
    const error = await runSqlRuleQuery(connection, query, async (checked) => {
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlRowsTable(index)} AS\n${checked}`);
    });
    if (error === undefined) continue;
    outcomes.set(rule.id, { observed: null, error });
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlRowsTable(index)} (_row BIGINT)`);
  }
  return outcomes;
}

/** Each table-level SQL rule's query over the typed view (made by `selectSqlRuleRows`), whose first value is the measurement. */
async function runSqlRules(connection: DuckDBConnection, compiled: CompiledValidation, relationName: string): Promise<Map<string, SqlOutcome>> {
  const outcomes = new Map<string, SqlOutcome>();
  for (const { rule } of compiled.rules) {
    if (rule.scope !== 'table' || rule.test.measures !== 'sql') continue;
    let observed: number | null = null;
    const error = await runSqlRuleQuery(connection, sqlRuleQuery(rule.test, typedView(relationName)), async (checked) => {
      const [first] = await rows(connection, checked);
      observed = first === undefined ? null : numberValue(first[0] ?? null);
    });
    outcomes.set(rule.id, { observed, ...(error !== undefined && { error }) });
  }
  return outcomes;
}

/**
 * The rule's query with its placeholders filled as identifiers; a `{property}` without a column
 * was refused when the contract was checked, so it is an error here, not a query to run.
 */
function sqlRuleQuery(test: { readonly query: string; readonly column: string | null }, typedView: string): string {
  return fillPlaceholders(test.query, (meaning) => {
    if (meaning === 'object') return typedView;
    if (test.column === null) throw new Error('{property} in a dataset-level sql rule');
    return duckdb.identifier(test.column);
  });
}

/** The results with the samples of every row rule that failed on some rows, fetched in one scan. */
async function withSamples(
  connection: DuckDBConnection,
  compiled: CompiledValidation,
  results: readonly RuleResult[],
): Promise<RuleResult[]> {
  const sampled = new Map<number, CompiledRowRule>();
  for (const [index, result] of results.entries()) {
    const rule = compiled.rules[index]!;
    if (!result.passed && 'failing' in rule && result.failedCount > 0) sampled.set(index, rule);
  }
  if (sampled.size === 0) return [...results];
  const [row] = await rows(connection, samplesQuery(compiled, [...sampled.values()]));
  if (row === undefined) throw new Error('the samples query returned no row');
  const samples = new Map(
    [...sampled].map(([index, rule], column) => [index, toSamples(compiled, rule, sampledRows(jsonValue(row[column] ?? null)))]),
  );
  return results.map((result, index) => {
    const found = samples.get(index);
    return found === undefined ? result : { ...result, samples: found };
  });
}

async function countRows(connection: DuckDBConnection, disposition: Disposition, rowCount: number): Promise<RowSplit> {
  if (disposition.knownQuarantinedRows !== undefined) {
    return { rowsPassed: rowCount - disposition.knownQuarantinedRows, rowsQuarantined: disposition.knownQuarantinedRows };
  }
  const [[quarantined, passed] = []] = await rows(connection, disposition.countQuery);
  return { rowsPassed: numberValue(passed ?? null) ?? 0, rowsQuarantined: numberValue(quarantined ?? null) ?? 0 };
}

/** The contract compiled for a file's relation, and what its one metrics scan measured. */
export interface RelationMetrics {
  readonly compiled: CompiledValidation;
  readonly metrics: ReadonlyMap<string, number | null>;
  /** By rule id, the sql rules judged by row whose query could not select rows. */
  readonly sqlRowOutcomes: ReadonlyMap<string, SqlOutcome>;
}

/**
 * Measures the contract's metrics over the rows in `relationName` as every validation does: the
 * contract compiled for the relation's columns, a temp table of each uniqueness key's repeated
 * keys (usually few) and of the rows each sql row rule selects, which the metrics query and every
 * later query join, then one metrics scan.
 * bench:validate times this very function, so its figure is the work production runs.
 */
export async function measureRelation(connection: DuckDBConnection, dataset: Dataset, relationName: string): Promise<RelationMetrics> {
  await useUtc(connection);
  const relation = duckdb.identifier(relationName);
  const repeatedKeyTable = (index: number) => duckdb.identifier(`${relationName}__repeated_keys_${index}`);
  const sqlRowsTable = (index: number) => duckdb.identifier(`${relationName}__sql_rows_${index}`);
  const compiled = compileValidation(dataset, duckdb, {
    relation,
    nativeColumns: await nativeColumns(connection, relation, dataset),
    structuredValues: await structuredValueFlags(connection, relation, dataset),
    repeatedKeyTable,
    sqlRowsTable,
  });
  for (const [index, query] of compiled.repeatedKeyQueries.entries()) {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${repeatedKeyTable(index)} AS\n${query}`);
  }
  const sqlRowOutcomes = await selectSqlRuleRows(connection, compiled, relationName, sqlRowsTable);
  return { compiled, metrics: await readMetrics(connection, compiled), sqlRowOutcomes };
}

/**
 * Validates the rows of one file, already in `relationName` (see `CompileOptions.relation` for
 * its shape), against the dataset's contract: its metrics measured (`measureRelation`), one query
 * per SQL rule, one scan for the samples of every failed row rule, then the rows split by `splitRows`, or counted
 * when which rows are quarantined is not yet known.
 */
export async function runValidationQueries(
  connection: DuckDBConnection,
  dataset: Dataset,
  relationName: string,
  options: RunOptions,
): Promise<ValidationRun> {
  const { compiled, metrics, sqlRowOutcomes } = await measureRelation(connection, dataset, relationName);
  const sqlOutcomes = new Map([...sqlRowOutcomes, ...(await runSqlRules(connection, compiled, relationName))]);
  const evaluated = evaluateRules(compiled, { metrics, ingestTime: options.ingestTime, sqlOutcomes });
  const results = await withSamples(connection, compiled, evaluated);

  const rowCount = metrics.get(compiled.rowCountMetric) ?? 0;
  const disposition = planDisposition(compiled, results, rowCount);
  const { rowsPassed, rowsQuarantined } = options.splitRows
    ? await options.splitRows(disposition, rowCount)
    : await countRows(connection, disposition, rowCount);
  if (rowsPassed < 0 || rowsQuarantined < 0 || rowsPassed + rowsQuarantined !== rowCount) {
    throw new Error(
      `rows in (${rowCount}) != rows passed (${rowsPassed}) + rows quarantined (${rowsQuarantined}) for ${options.file}`,
    );
  }

  const report: ValidationReport = {
    reportVersion: 1,
    dataset: dataset.names.ref,
    contractId: dataset.contract.id,
    contractVersion: dataset.contract.version,
    file: options.file,
    passed: results.every((result) => result.passed || result.severity === 'warning'),
    rowCount,
    rowsPassed,
    rowsQuarantined,
    startedAt: options.startedAt.toISOString(),
    durationMs: Date.now() - options.startedAt.getTime(),
    // After the evaluated rules (whose order the disposition's indexes follow): what nothing ran.
    rules: [...results, ...notEvaluatedRules(dataset).map(notEvaluatedResult)],
  };
  return { report, compiled, disposition };
}
