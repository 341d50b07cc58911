import type { DuckDBConnection } from '@duckdb/node-api';
import type { Severity } from '../../contracts/model.ts';
import { attachLake, attachTable } from '../lake/attach-lake.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { LakeColumn } from '../../pipeline/lake-write.ts';
import { openLocalDuckDb } from '../local-duckdb.ts';
import { claimScratch, releaseScratch } from '../scratch.ts';
import { workspaceAt } from '../workspace.ts';
import { quoteIdentifier } from '../../sql/ansi.ts';
import { confineFileAccess } from '../../sql/duckdb-file-access.ts';
import { duckDbOneSelectProblem } from '../../sql/duckdb-one-select.ts';
import { jsonValue } from '../../validation/json-value.ts';
import type { ModelTestKind, TransformDag, TransformModel } from '../../transforms/model.ts';
import { modelSteps, type ModelStep } from '../../transforms/model-steps.ts';
import { modelRelation, renderModel, stagingRelation, type Placement } from '../../transforms/render.ts';

/** Failing rows a failed test shows, as in validation reports. */
const SAMPLE_LIMIT = 5;

export interface TestOutcome {
  readonly name: string;
  readonly kind: ModelTestKind;
  readonly column: string | null;
  readonly severity: Severity;
  readonly passed: boolean;
  readonly failedCount: number;
  /** At most 5 failing rows, column name -> JSON value. */
  readonly samples: readonly Readonly<Record<string, unknown>>[];
}

/**
 * - `published`: tests passed and the result was committed (or the view replaced);
 * - `unchanged`: tests passed and the result equals what is published, so nothing was committed;
 * - `failed`: an error-severity test failed; the published table is untouched;
 * - `error`: the model could not run (missing input, SQL error, schema drift);
 * - `skipped`: a model it reads did not publish in this build.
 */
export type ModelStatus = 'published' | 'unchanged' | 'failed' | 'error' | 'skipped';

export interface ModelOutcome {
  readonly model: string;
  readonly materialized: TransformModel['materialized'];
  readonly status: ModelStatus;
  /** Rows the model produced in this run (the new rows, for an incremental model); 0 for views. */
  readonly rows: number;
  readonly tests: readonly TestOutcome[];
  /** The table's current snapshot after the build: unchanged when a test failed. Null for views. */
  readonly snapshotId: number | null;
  readonly message?: string;
}

export interface BuildOptions {
  readonly lake: LocalLake;
  readonly dag: TransformDag;
  /** From `inferModelColumns`. */
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  /** Database of each domain: `glueDatabaseName(identity, domain)`, as in Athena. */
  readonly placement: Placement;
  /** Model ids to build. @default every model */
  readonly select?: readonly string[];
}

/**
 * Builds models offline in DAG order with write-audit-publish on the local lake: each model is
 * built into `<model>__staging`, its tests run there, and only when every error-severity test
 * passes is it published in ONE lake commit (overwrite for `table`, merge for `incremental`).
 * Until that commit, readers see the previous snapshot; after a failure they keep seeing it.
 */
export async function buildModels(options: BuildOptions): Promise<ModelOutcome[]> {
  const { lake, dag, placement } = options;
  const selected = new Set(options.select ?? dag.order);
  // Bounded memory, spilling under the workspace (the lake's root), as every DuckDB of the runtime.
  const scratch = claimScratch(workspaceAt(lake.root));
  const { connection, close } = await openLocalDuckDb(scratch);
  try {
    // Models and their tests are user-written SQL: this connection opens nothing outside the lake.
    await confineFileAccess(connection, { directories: [lake.root] });
    await attachLake(connection, lake);
    const available = new Set<string>();
    const outcomes: ModelOutcome[] = [];
    for (const model of dag.models) {
      if (!selected.has(model.id)) {
        if (model.materialized === 'view') await registerUnselectedView(connection, model, options, available);
        else if (lake.hasTable(placement.database(model.domain), model.name)) available.add(model.id);
        continue;
      }
      const outcome = await buildOne(connection, model, options, available);
      if (outcome.status === 'published' || outcome.status === 'unchanged') available.add(model.id);
      outcomes.push(outcome);
    }
    return outcomes;
  } finally {
    close();
    releaseScratch(scratch);
  }
}

/** A view the selection reads but does not build still has to exist on this connection. */
async function registerUnselectedView(connection: DuckDBConnection, model: TransformModel, options: BuildOptions, available: Set<string>): Promise<void> {
  if (missingInput(model, options, available) !== undefined) return;
  const publish = modelSteps(model, [], options.placement).filter((step) => step.role === 'publish');
  await ensureSchema(connection, options.placement.database(model.domain));
  for (const step of publish) await connection.run(step.duckdb);
  available.add(model.id);
}

function missingInput(model: TransformModel, options: BuildOptions, available: ReadonlySet<string>): string | undefined {
  for (const target of model.resolved.values()) {
    const database = options.placement.database(target.domain);
    if (target.kind === 'dataset' && !options.lake.hasTable(database, target.table)) {
      return `input ${target.id} has no table "${database}"."${target.table}" in the lake yet: load it first (lakehouse run)`;
    }
    if (target.kind === 'model' && !available.has(target.id)) {
      return `input model ${target.id} was not published in this build and has no table yet: build it first (lakehouse build +${model.id})`;
    }
  }
  return undefined;
}

async function buildOne(connection: DuckDBConnection, model: TransformModel, options: BuildOptions, available: ReadonlySet<string>): Promise<ModelOutcome> {
  const base = { model: model.id, materialized: model.materialized, rows: 0, tests: [] as TestOutcome[], snapshotId: null };
  const upstreamFailed = model.upstream.find((id) => !available.has(id) && (options.select ?? options.dag.order).includes(id));
  if (upstreamFailed !== undefined) return { ...base, status: 'skipped', message: `upstream model ${upstreamFailed} did not publish` };
  const missing = missingInput(model, options, available);
  if (missing !== undefined) return { ...base, status: 'error', message: missing };

  const database = options.placement.database(model.domain);
  const columns = options.columns.get(model.id)!;
  try {
    await ensureSchema(connection, database);
    if (model.materialized !== 'view') await prepareTables(connection, model, columns, options);
    const steps = modelSteps(model, columns.map((column) => column.name), options.placement);
    const refused = await notOneSelect(connection, model, steps, options.placement);
    if (refused !== undefined) return { ...base, status: 'error', message: `not run: ${refused}` };
    for (const step of steps.filter((candidate) => candidate.role === 'stage')) await connection.run(step.duckdb);
    const rows = model.materialized === 'view' ? 0 : await count(connection, `SELECT count(*) FROM ${stagingRelation(model, options.placement)}`);
    const tests: TestOutcome[] = [];
    for (const step of steps.filter((candidate) => candidate.role === 'test')) tests.push(await runTest(connection, step));
    const snapshotNow = () => (model.materialized === 'view' ? null : options.lake.currentSnapshot(database, model.name).snapshotId);
    const failedTest = tests.find((test) => !test.passed && test.severity === 'error');
    if (failedTest !== undefined) {
      return { ...base, rows, tests, status: 'failed', snapshotId: snapshotNow(), message: `test ${failedTest.name} failed on ${failedTest.failedCount} row${failedTest.failedCount === 1 ? '' : 's'}: nothing was published` };
    }
    const publish = steps.filter((candidate) => candidate.role === 'publish');
    if (model.materialized === 'view') {
      for (const step of publish) await connection.run(step.duckdb);
      return { ...base, tests, status: 'published' };
    }
    if (await unchanged(connection, model, options.placement)) return { ...base, rows, tests, status: 'unchanged', snapshotId: snapshotNow() };
    const operation = model.materialized === 'incremental' ? 'merge' : 'overwrite';
    const committed = await options.lake.write(connection, database, model.name, operation, publish.map((step) => step.duckdb));
    return { ...base, rows, tests, status: 'published', snapshotId: committed.snapshotId };
  } catch (error) {
    return { ...base, status: 'error', message: (error as Error).message };
  }
}

/**
 * Why DuckDB does not read the model's SELECT or one of its tests as exactly one SELECT, if it
 * does not: the model was checked with Athena's grammar when it rendered, and the grammars differ
 * at the edges (DuckDB's `E'...'` strings), so the engine that runs it has the last word.
 */
async function notOneSelect(connection: DuckDBConnection, model: TransformModel, steps: readonly ModelStep[], placement: Placement): Promise<string | undefined> {
  const select = renderModel(model, { dialect: 'duckdb', placement, incremental: model.materialized === 'incremental' });
  for (const sql of [select, ...steps.flatMap((step) => (step.test === undefined ? [] : [step.test.failingRows.duckdb]))]) {
    const problem = await duckDbOneSelectProblem(connection, sql);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

async function ensureSchema(connection: DuckDBConnection, database: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)}`);
}

/**
 * The offline stand-ins for what the table owner creates in the cloud: the gold table in the lake
 * (created once with the inferred columns) and the staging table, a DuckDB table of this run.
 */
async function prepareTables(connection: DuckDBConnection, model: TransformModel, columns: readonly LakeColumn[], options: BuildOptions): Promise<void> {
  const database = options.placement.database(model.domain);
  const existing = options.lake.createTable(database, model.name, columns, { ifNotExists: true }).schema;
  const describe = (list: readonly LakeColumn[]) => list.map((column) => `${column.name} ${column.type}`).join(', ');
  if (describe(existing) !== describe(columns)) {
    throw new Error(`"${database}"."${model.name}" has columns (${describe(existing)}) but the model now produces (${describe(columns)}): gold tables evolve only by added columns, through their owner`);
  }
  await attachTable(connection, options.lake, { database, table: model.name });
  const definition = columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ');
  await connection.run(`CREATE OR REPLACE TABLE ${stagingRelation(model, options.placement)} (${definition})`);
}

async function runTest(connection: DuckDBConnection, step: ModelStep): Promise<TestOutcome> {
  const test = step.test!;
  const failedCount = await count(connection, step.duckdb);
  const samples =
    failedCount === 0
      ? []
      : await connection.runAndReadAll(`${test.failingRows.duckdb}\nLIMIT ${SAMPLE_LIMIT}`).then((reader) => {
          const names = reader.columnNames();
          return reader.getRows().map((row) => Object.fromEntries(names.map((name, i) => [name, jsonValue(row[i] ?? null)])));
        });
  return { name: test.name, kind: test.kind, column: test.column, severity: test.severity, passed: failedCount === 0, failedCount, samples };
}

/**
 * True when publishing would change no row: then no commit is made, so a re-run without new
 * upstream data keeps the same snapshot id. Duplicates count for a full rebuild (EXCEPT ALL both
 * ways); new rows of an incremental model are unchanged when each is already published.
 */
async function unchanged(connection: DuckDBConnection, model: TransformModel, placement: Placement): Promise<boolean> {
  const staging = stagingRelation(model, placement);
  const target = modelRelation(model, placement);
  const added = await count(connection, `SELECT count(*) FROM (SELECT * FROM ${staging} EXCEPT ALL SELECT * FROM ${target})`);
  if (added > 0) return false;
  if (model.materialized === 'incremental') return true;
  return (await count(connection, `SELECT count(*) FROM (SELECT * FROM ${target} EXCEPT ALL SELECT * FROM ${staging})`)) === 0;
}

async function count(connection: DuckDBConnection, sql: string): Promise<number> {
  const reader = await connection.runAndReadAll(sql);
  return Number(reader.getRows()[0]![0]);
}
