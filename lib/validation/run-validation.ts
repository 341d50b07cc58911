import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Dataset } from '../contracts/model.ts';
import { duckdb } from '../sql/duckdb.ts';
import { compileValidation, type CompiledValidation } from './compile.ts';
import type { Disposition } from './disposition.ts';
import { planDisposition } from './disposition.ts';
import { evaluateRules, type SqlOutcome } from './evaluate.ts';
import { jsonValue, numberValue } from './json-value.ts';
import type { JsonValue, RuleResult, ValidationReport } from './report.ts';
import { sampleQuery, toSamples } from './samples.ts';

export interface RunOptions {
  /** When the file arrived; freshness is measured against it. */
  readonly ingestTime: Date;
  /** The file as the report names it: a path or an `s3://` URI. */
  readonly file: string;
  readonly startedAt: Date;
}

export interface ValidationRun {
  readonly report: ValidationReport;
  readonly compiled: CompiledValidation;
  /** The queries that split the file's rows; run on the same connection while the relation exists. */
  readonly disposition: Disposition;
}

async function rows(connection: DuckDBConnection, sql: string): Promise<DuckDBValue[][]> {
  return (await connection.runAndReadAll(sql)).getRows();
}

/** Contract columns the relation holds in another type than VARCHAR (Parquet), so they are converted, not parsed. */
async function nativeColumns(connection: DuckDBConnection, relation: string, dataset: Dataset): Promise<string[]> {
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

/**
 * A SQL rule's query over the typed view, whose first value is the measurement. A query that
 * fails or returns something else fails its rule with a message: a broken rule must not stop the
 * file's other checks.
 */
async function runSqlRules(
  connection: DuckDBConnection,
  compiled: CompiledValidation,
  typedView: string,
): Promise<Map<string, SqlOutcome>> {
  const outcomes = new Map<string, SqlOutcome>();
  const queries = compiled.rules.flatMap(({ rule }) =>
    rule.scope === 'table' && rule.test.measures === 'sql'
      ? [{ id: rule.id, query: rule.test.query.replaceAll('{object}', typedView) }]
      : [],
  );
  if (queries.length === 0) return outcomes;
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${typedView} AS\n${compiled.typedSelect}`);
  for (const { id, query } of queries) {
    try {
      const [first] = await rows(connection, query);
      outcomes.set(id, { observed: first === undefined ? null : numberValue(first[0] ?? null) });
    } catch (error) {
      outcomes.set(id, { observed: null, error: `query failed: ${(error as Error).message}` });
    }
  }
  return outcomes;
}

async function withSamples(
  connection: DuckDBConnection,
  compiled: CompiledValidation,
  results: readonly RuleResult[],
): Promise<RuleResult[]> {
  const sampled: RuleResult[] = [];
  for (const [index, result] of results.entries()) {
    const rule = compiled.rules[index]!;
    if (result.passed || !('failing' in rule) || result.failedCount === 0) {
      sampled.push(result);
      continue;
    }
    const found = await rows(connection, sampleQuery(compiled, rule));
    const values = found.map(([row, ...columns]): [number, ...JsonValue[]] => [Number(row), ...columns.map(jsonValue)]);
    sampled.push({ ...result, samples: toSamples(compiled, rule, values) });
  }
  return sampled;
}

async function countRows(
  connection: DuckDBConnection,
  disposition: Disposition,
  rowCount: number,
): Promise<{ rowsPassed: number; rowsQuarantined: number }> {
  if (disposition.knownQuarantinedRows !== undefined) {
    return { rowsPassed: rowCount - disposition.knownQuarantinedRows, rowsQuarantined: disposition.knownQuarantinedRows };
  }
  const [[quarantined, passed] = []] = await rows(connection, disposition.countQuery);
  return { rowsPassed: numberValue(passed ?? null) ?? 0, rowsQuarantined: numberValue(quarantined ?? null) ?? 0 };
}

/**
 * Validates the rows of one file, already in `relationName` (see `CompileOptions.relation` for
 * its shape), against the dataset's contract: one metrics scan, one query per SQL rule, one
 * sample query per failed row rule, and a count when which rows are quarantined is not yet known.
 */
export async function runValidationQueries(
  connection: DuckDBConnection,
  dataset: Dataset,
  relationName: string,
  options: RunOptions,
): Promise<ValidationRun> {
  await connection.run("SET TimeZone = 'UTC'");
  const relation = duckdb.identifier(relationName);
  const compiled = compileValidation(dataset, duckdb, {
    relation,
    nativeColumns: await nativeColumns(connection, relation, dataset),
  });
  const metrics = await readMetrics(connection, compiled);
  const sqlOutcomes = await runSqlRules(connection, compiled, duckdb.identifier(`${relationName}__typed`));
  const evaluated = evaluateRules(compiled, { metrics, ingestTime: options.ingestTime, sqlOutcomes });
  const results = await withSamples(connection, compiled, evaluated);

  const rowCount = metrics.get(compiled.rowCountMetric) ?? 0;
  const disposition = planDisposition(compiled, results, rowCount);
  const { rowsPassed, rowsQuarantined } = await countRows(connection, disposition, rowCount);
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
    rules: results,
  };
  return { report, compiled, disposition };
}
