/**
 * The tables an ML model adds to its domain's Glue database, and the check that no dataset or
 * transform model of that domain already names one: two owners of one table would share its
 * schema and rows silently (the second `CREATE TABLE IF NOT EXISTS` does nothing). Likewise its
 * lineage job, which shares the domain's job names with the pipelines and builds. Pure.
 */
import {
  inferenceOutputTableName,
  ML_RUNS_TABLE,
  predictionsTableName,
  rawTableName,
  silverTableName,
  trainingRunRecordsTableName,
  validatedTableName,
} from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { lineagePrefix } from '../ingest/layout.ts';
import type { ContractProblem } from '../contracts/problems.ts';
import { ownedTableNames } from '../transforms/gold-table.ts';
import type { TransformDag } from '../transforms/model.ts';

/** The tables of ML model `name` in its domain's database: the domain's ml_runs, its run records, predictions and inference output. */
export function mlModelTableNames(name: string): string[] {
  return [ML_RUNS_TABLE, trainingRunRecordsTableName(name), predictionsTableName(name), inferenceOutputTableName(name)];
}

/** Who in `domain` already owns each table name: its datasets' tables and its transform models' (views included). */
function domainTableOwners(domain: string, dag: TransformDag, datasets: readonly Pick<Dataset, 'domain' | 'names' | 'name'>[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const dataset of datasets) {
    for (const table of [silverTableName(dataset), rawTableName(dataset), validatedTableName(dataset)]) owners.set(table, `dataset '${dataset.domain}/${dataset.name}'`);
  }
  for (const model of dag.models.filter((candidate) => candidate.domain === domain)) {
    for (const table of [model.name, ...ownedTableNames(model)]) owners.set(table, `transform model '${model.id}' (${model.file})`);
  }
  return owners;
}

/** One problem, at the spec's first line, per table of the ML model that its domain already names. */
export function mlModelTableProblems(
  spec: { readonly file: string; readonly domain: string; readonly name: string },
  dag: TransformDag,
  datasets: readonly Pick<Dataset, 'domain' | 'names' | 'name'>[],
): ContractProblem[] {
  const owners = domainTableOwners(spec.domain, dag, datasets);
  return mlModelTableNames(spec.name).flatMap((table) => {
    const owner = owners.get(table);
    return owner === undefined
      ? []
      : [{ file: spec.file, line: 1, column: 1, message: `ML model '${spec.domain}/${spec.name}' needs the table '${table}' in its domain's database, which ${owner} already names: rename one of them` }];
  });
}

/**
 * One problem, at the spec's first line, when the ML model's lineage job, `<domain>.<model>` with
 * its events under `lineage/<domain>/<model>/`, is a pipeline's (named by its silver table) or a
 * build model's (by its gold table) of the domain: the two would be one job in a lineage
 * consumer, and their roles would write under one prefix.
 */
export function mlModelLineageJobProblems(
  spec: { readonly file: string; readonly domain: string; readonly name: string },
  dag: TransformDag,
  datasets: readonly Pick<Dataset, 'domain' | 'names' | 'name'>[],
): ContractProblem[] {
  const owner =
    datasets.filter((dataset) => silverTableName(dataset) === spec.name).map((dataset) => `the pipeline of dataset '${dataset.domain}/${dataset.name}'`)[0] ??
    dag.models.filter((model) => model.domain === spec.domain && model.name === spec.name).map((model) => `transform model '${model.id}' (${model.file})`)[0];
  if (owner === undefined) return [];
  const job = `${spec.domain}.${spec.name}`;
  return [
    { file: spec.file, line: 1, column: 1, message: `ML model '${spec.domain}/${spec.name}' writes its lineage as job '${job}' under ${lineagePrefix(spec.domain, spec.name)}, which ${owner} already does: rename one of them` },
  ];
}
