import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import type { Dataset } from '../contracts/model.ts';
import { ContractError, type ContractProblem } from '../contracts/problems.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import { silverLakeColumns } from '../pipeline/silver-table.ts';
import { quoteIdentifier } from '../sql/ansi.ts';
import { confineFileAccess } from '../sql/duckdb-file-access.ts';
import { duckDbOneSelectProblem } from '../sql/duckdb-one-select.ts';
import type { TransformDag, TransformModel } from './model.ts';
import { relation, renderModel, type Placement } from './render.ts';
import { failingRowsSql } from './test-queries.ts';
import { sensitiveColumnsReadBy } from './view-pii.ts';

/** Offline, each domain's tables live in a DuckDB schema named after the domain. */
const schemaPerDomain: Placement = { database: (domain) => domain };

/**
 * Each model's output columns with DuckDB types, keyed by model id: what DuckDB's `DESCRIBE`
 * says of the model's SQL over empty tables typed from the contracts and upstream models, so gold
 * tables can be created by their owner at synth (no CTAS). Also binds every rendering and test
 * query, refuses views that read sensitive columns, and checks the columns that tests and
 * `unique_key` name. Throws `ContractError` with every problem.
 */
export async function inferModelColumns(dag: TransformDag): Promise<ReadonlyMap<string, readonly LakeColumn[]>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // It binds user-written SQL at synth, where deployment credentials are at hand: no file access.
  await confineFileAccess(connection, {});
  const problems: ContractProblem[] = [];
  const columns = new Map<string, readonly LakeColumn[]>();
  try {
    // Ids of the datasets and models whose tables exist; a model reading one that does not is left
    // out, its reader's problem already said, rather than reported again as a missing table.
    const created = await createInputTables(connection, dag, problems);
    for (const model of dag.models) {
      if ([...model.resolved.values()].some((target) => !created.has(target.id))) continue;
      const inferred = await inferOne(connection, model, problems);
      if (inferred === undefined) continue;
      try {
        await createEmptyTable(connection, relation(model.domain, model.name), inferred);
      } catch (error) {
        problems.push({ file: model.file, line: model.templateLine, column: 1, message: `model '${model.id}' does not run on DuckDB: ${(error as Error).message}` });
        continue;
      }
      columns.set(model.id, inferred);
      created.add(model.id);
      await checkAgainst(connection, model, inferred, problems);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  if (problems.length > 0) throw new ContractError(problems);
  return columns;
}

/** The silver tables models read, typed from their contracts; returns the ids of those created. */
async function createInputTables(connection: DuckDBConnection, dag: TransformDag, problems: ContractProblem[]): Promise<Set<string>> {
  const datasets = new Map<string, Dataset>();
  for (const model of dag.models) for (const target of model.resolved.values()) if (target.kind === 'dataset') datasets.set(target.id, target.dataset);
  const domains = new Set([...dag.models.map((model) => model.domain), ...[...datasets.values()].map((dataset) => dataset.domain)]);
  for (const domain of domains) await connection.run(`CREATE SCHEMA ${quoteIdentifier(domain)}`);
  const created = new Set<string>();
  for (const [id, dataset] of datasets) {
    try {
      await createEmptyTable(connection, relation(dataset.domain, dataset.names.table), silverLakeColumns(dataset));
      created.add(id);
    } catch (error) {
      problems.push({ ...dataset.position, message: `dataset '${id}' cannot be read by models on DuckDB: ${(error as Error).message}` });
    }
  }
  return created;
}

async function createEmptyTable(connection: DuckDBConnection, name: string, columns: readonly LakeColumn[]): Promise<void> {
  await connection.run(`CREATE TABLE ${name} (${columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ')})`);
}

/** DESCRIBE runs every statement it is given: only what DuckDB reads as one SELECT gets there. */
async function describeSelect(connection: DuckDBConnection, sql: string): Promise<DuckDBResultReader> {
  const refused = await duckDbOneSelectProblem(connection, sql);
  if (refused !== undefined) throw new Error(refused);
  return connection.runAndReadAll(`DESCRIBE ${sql}`);
}

async function inferOne(connection: DuckDBConnection, model: TransformModel, problems: ContractProblem[]): Promise<LakeColumn[] | undefined> {
  const at = { file: model.file, line: model.templateLine, column: 1 };
  try {
    const sql = renderModel(model, { dialect: 'duckdb', placement: schemaPerDomain, incremental: false });
    const described = await describeSelect(connection, sql);
    const inferred = described.getRows().map((row) => ({ name: String(row[0]), type: String(row[1]) }));
    const repeated = repeatedNames(inferred.map((column) => column.name));
    for (const spellings of repeated) {
      const times = spellings.length === 2 ? 'twice' : `${spellings.length} times`;
      const as = new Set(spellings).size > 1 ? ` (as ${spellings.join(', ')})` : '';
      problems.push({ ...at, message: `model '${model.id}' returns column '${spellings[0]}' ${times}${as}: Athena and Glue compare column names case-insensitively; give each its own name with AS` });
    }
    if (repeated.length > 0) return undefined;
    if (model.materialized === 'view') {
      const read = await sensitiveColumnsReadBy(connection, model, sql);
      if (read.length > 0) {
        problems.push({ ...at, message: `view model '${model.id}' reads sensitive column${read.length === 1 ? '' : 's'} ${read.join(', ')}: a view cannot hide PII (callers need grants on the columns underneath); make it materialized: table or drop the column` });
      }
    }
    return inferred;
  } catch (error) {
    if (error instanceof ContractError) problems.push(...error.problems);
    else problems.push({ ...at, message: `model '${model.id}' does not run on DuckDB: ${(error as Error).message}` });
    return undefined;
  }
}

/** Binds the incremental rendering and the test queries, and checks the columns they name. */
async function checkAgainst(connection: DuckDBConnection, model: TransformModel, inferred: readonly LakeColumn[], problems: ContractProblem[]): Promise<void> {
  const names = inferred.map((column) => column.name);
  for (const key of model.uniqueKey) {
    if (!names.includes(key)) problems.push({ ...model.position, message: `unique_key '${key}' is not a column of model '${model.id}' (it has ${names.join(', ')})` });
  }
  const tested = relation(model.domain, model.name);
  const options = { dialect: 'duckdb' as const, placement: schemaPerDomain, incremental: model.materialized === 'incremental' };
  for (const test of model.tests) {
    if (test.column !== null && !names.includes(test.column)) {
      problems.push({ ...test.position, message: `test ${test.name}: '${test.column}' is not a column of model '${model.id}' (it has ${names.join(', ')})` });
      continue;
    }
    try {
      await describeSelect(connection, failingRowsSql(model, test, tested, options));
    } catch (error) {
      if (error instanceof ContractError) problems.push(...error.problems);
      else problems.push({ ...test.position, message: `test ${test.name} does not run on DuckDB: ${(error as Error).message}` });
    }
  }
  if (model.materialized === 'incremental') {
    try {
      await describeSelect(connection, renderModel(model, { ...options, incremental: true }));
    } catch (error) {
      if (error instanceof ContractError) problems.push(...error.problems);
      else problems.push({ ...model.position, message: `the is_incremental() rendering of '${model.id}' does not run on DuckDB: ${(error as Error).message}` });
    }
  }
}

/** Each name `names` holds more than once, ignoring case, with its spellings in order. */
function repeatedNames(names: readonly string[]): string[][] {
  const byKey = new Map<string, string[]>();
  for (const name of names) byKey.set(name.toLowerCase(), [...(byKey.get(name.toLowerCase()) ?? []), name]);
  return [...byKey.values()].filter((spellings) => spellings.length > 1);
}
