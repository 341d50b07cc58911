/**
 * A domain's build offline. Each Athena Task's query is the Athena rendering of one compiled model
 * step (`BuildPlan`), found by state name and checked against the query string; this runs the
 * step's DuckDB rendering on the local lake, on a connection confined to it (`openBuildConnection`):
 * - before a model's first stage query, the owner's stand-ins (its gold table in the lake with the
 *   inferred columns, its staging table on the connection) and DuckDB's own one-SELECT check of the
 *   model and its tests: a refusal fails the query, so the machine alerts the owner;
 * - a test query answers the `failures` row the machine's Choice reads;
 * - a publish of a `table` or `incremental` model is ONE lake commit (`overwrite` or `merge`), as
 *   one Athena query is one Iceberg commit; a view's is stored in the lake's catalog of views.
 * What each query saw goes to `BuildObservations`, for `lakehouse build` to show.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LakeColumn } from '../../pipeline/lake-write.ts';
import { quoteIdentifier } from '../../sql/ansi.ts';
import { duckDbOneSelectProblem } from '../../sql/duckdb-one-select.ts';
import type { BuildPlan, ModelBuild } from '../../transforms/build-plan.ts';
import type { ModelStep } from '../../transforms/model-steps.ts';
import { renderModel, stagingRelation, type Placement } from '../../transforms/render.ts';
import { jsonValue } from '../../validation/json-value.ts';
import { attachTable } from '../lake/attach-lake.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { BuildObservations, TestObservation } from './build-observations.ts';
import { failureReason, type OfflineQuery, type QueryOutcome } from './local-athena.ts';

/** Failing rows a failed test shows, as in validation reports. */
const SAMPLE_LIMIT = 5;

export interface BuildQueryContext {
  readonly plan: BuildPlan;
  /** Each model's inferred columns (`inferModelColumns`): what its owner creates its tables with. */
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  /** Database of each domain, as in Athena. */
  readonly placement: Placement;
  readonly lake: LocalLake;
  /** From `openBuildConnection`: confined to the lake, which is attached. */
  readonly connection: DuckDBConnection;
  readonly observations: BuildObservations;
}

/** The offline query of each Athena Task of the build, by state name. */
export function buildQueries(context: BuildQueryContext): (stateName: string) => OfflineQuery {
  const steps = new Map(context.plan.layers.flat().flatMap((build) => build.steps.map((step) => [step.name, { build, step }] as const)));
  const prepared = new Set<string>();
  return (stateName) => async (queryString) => {
    const found = steps.get(stateName);
    if (found === undefined) throw new Error(`state ${stateName} runs no model step of the ${context.plan.domain} build`);
    const { build, step } = found;
    if (queryString !== step.athena) {
      throw new Error(`state ${stateName}: the query is not the Athena rendering of model step ${step.name}; synthesize the app again`);
    }
    try {
      if (step.role === 'stage' && !prepared.has(build.model.id)) {
        await prepareModel(context, build);
        prepared.add(build.model.id);
      }
      return await runStep(context, build, step);
    } catch (error) {
      context.observations.failed(build.model.id, failureReason(error));
      throw error;
    }
  };
}

async function runStep(context: BuildQueryContext, build: ModelBuild, step: ModelStep): Promise<QueryOutcome | undefined> {
  const { connection, lake, observations } = context;
  const { model } = build;
  const database = context.placement.database(model.domain);
  switch (step.role) {
    case 'stage':
      await connection.run(step.duckdb);
      if (model.materialized !== 'view') observations.staged(model.id, await count(connection, `SELECT count(*) FROM ${stagingRelation(model, context.placement)}`));
      return undefined;
    case 'test': {
      const test = await runTest(connection, step);
      observations.tested(model.id, test);
      return { columns: ['failures'], rows: [[String(test.failedCount)]] };
    }
    case 'publish':
      if (model.materialized === 'view') {
        await connection.run(step.duckdb);
        // Athena keeps the view in Glue: later builds, queries and processes read it.
        lake.replaceView(database, model.name, renderModel(model, { dialect: 'duckdb', placement: context.placement, incremental: false }));
        observations.published(model.id, null);
      } else {
        const operation = model.materialized === 'incremental' ? 'merge' : 'overwrite';
        observations.published(model.id, (await lake.write(connection, database, model.name, operation, step.duckdb)).snapshotId);
      }
      return undefined;
  }
}

/**
 * What has to hold before a model's first stage query: its inputs exist, DuckDB reads the model
 * and its tests as one SELECT each, and the tables its owner creates in the cloud exist.
 */
async function prepareModel(context: BuildQueryContext, build: ModelBuild): Promise<void> {
  const { model } = build;
  const missing = missingInput(context, build);
  if (missing !== undefined) throw new Error(missing);
  const refused = await notOneSelect(context, build);
  if (refused !== undefined) throw new Error(`${model.id} not run: ${refused}`);
  const database = context.placement.database(model.domain);
  await context.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)}`);
  if (model.materialized !== 'view') await ownerTables(context, build, database);
}

function missingInput(context: BuildQueryContext, build: ModelBuild): string | undefined {
  const { lake, placement } = context;
  for (const target of build.model.resolved.values()) {
    const database = placement.database(target.domain);
    if (target.kind === 'dataset' && !lake.hasTable(database, target.table)) {
      return `input ${target.id} has no table "${database}"."${target.table}" in the lake yet: load it first (lakehouse run)`;
    }
    if (target.kind === 'model' && !lake.hasTable(database, target.table) && !lake.hasView(database, target.table)) {
      return `input model ${target.id} was never published: build it first (lakehouse build +${build.model.id})`;
    }
  }
  return undefined;
}

/**
 * Why DuckDB does not read the model's SELECT or one of its tests as exactly one SELECT, if it
 * does not: the model was checked with Athena's grammar when it rendered, and the grammars differ
 * at the edges (DuckDB's `E'...'` strings), so the engine that runs it has the last word.
 */
async function notOneSelect(context: BuildQueryContext, build: ModelBuild): Promise<string | undefined> {
  const { model } = build;
  const select = renderModel(model, { dialect: 'duckdb', placement: context.placement, incremental: model.materialized === 'incremental' });
  for (const sql of [select, ...build.steps.flatMap((step) => (step.test === undefined ? [] : [step.test.failingRows.duckdb]))]) {
    const problem = await duckDbOneSelectProblem(context.connection, sql);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * The offline stand-ins for what the table owner creates in the cloud: the gold table in the lake
 * (created once with the inferred columns; any other change is drift, refused as the owner
 * refuses it) and the staging table, a DuckDB table of this connection.
 */
async function ownerTables(context: BuildQueryContext, build: ModelBuild, database: string): Promise<void> {
  const { model } = build;
  const columns = context.columns.get(model.id);
  if (columns === undefined) throw new Error(`model ${model.id} has no inferred columns (run inferModelColumns on the DAG of its build plan)`);
  const existing = context.lake.createTable(database, model.name, columns, { ifNotExists: true }).schema;
  const describe = (list: readonly LakeColumn[]) => list.map((column) => `${column.name} ${column.type}`).join(', ');
  if (describe(existing) !== describe(columns)) {
    throw new Error(`"${database}"."${model.name}" has columns (${describe(existing)}) but the model now produces (${describe(columns)}): gold tables evolve only by added columns, through their owner`);
  }
  await attachTable(context.connection, context.lake, { database, table: model.name });
  const definition = columns.map((column) => `${quoteIdentifier(column.name)} ${column.type}`).join(', ');
  await context.connection.run(`CREATE OR REPLACE TABLE ${stagingRelation(model, context.placement)} (${definition})`);
}

async function runTest(connection: DuckDBConnection, step: ModelStep): Promise<TestObservation> {
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

async function count(connection: DuckDBConnection, sql: string): Promise<number> {
  const reader = await connection.runAndReadAll(sql);
  return Number(reader.getRows()[0]![0]);
}
