import type { Severity } from '../contracts/model.ts';
import { TARGET_PLACEHOLDER } from '../pipeline/lake-write.ts';
import { quoteIdentifier } from '../sql/ansi.ts';
import type { ModelTestKind, TransformModel } from './model.ts';
import { mergeSql, replaceSql } from './publish-sql.ts';
import { modelRelation, renderModel, stagingRelation, type DialectName, type Placement } from './render.ts';
import { failingRowsSql, failureCountSql } from './test-queries.ts';

/** Stands for the published table in DuckDB publish statements: the local lake's write target. */
export const LAKE_TARGET = TARGET_PLACEHOLDER;

export type StepRole = 'stage' | 'test' | 'publish';

export interface StepTest {
  readonly name: string;
  readonly kind: ModelTestKind;
  readonly column: string | null;
  readonly severity: Severity;
  /** The failing rows themselves, for samples. */
  readonly failingRows: Readonly<Record<DialectName, string>>;
}

/**
 * One query of a model's write-audit-publish, in both engines: a state machine runs `athena`
 * under `name`, the offline runtime runs `duckdb` for the same name. A test step returns one row
 * with one column, `failures`; publication must not run unless every error-severity test has 0.
 */
export interface ModelStep {
  /** Unique over the DAG and valid as a Step Functions state name: `<domain>-<model>-<what>`. */
  readonly name: string;
  readonly role: StepRole;
  readonly athena: string;
  /** For `table`/`incremental` publish steps, the published table is written `{{target}}`. */
  readonly duckdb: string;
  readonly test?: StepTest;
}

/**
 * The ordered queries that build, test and publish `model` (see lib/transforms/README.md):
 * `table` and `incremental` models go through their owned staging table, `<model>__staging`;
 * `view` models through a staging view. `columns` are the model's inferred output columns.
 */
export function modelSteps(model: TransformModel, columns: readonly string[], placement: Placement): ModelStep[] {
  const prefix = `${model.domain}-${model.name}`;
  const staging = stagingRelation(model, placement);
  const target = modelRelation(model, placement);
  const incremental = model.materialized === 'incremental';
  const select = (dialect: DialectName) => renderModel(model, { dialect, placement, incremental });
  const both = (build: (dialect: DialectName, published: string) => string) => ({
    athena: build('athena', target),
    duckdb: build('duckdb', LAKE_TARGET),
  });

  const tests = model.tests.map((test): ModelStep => {
    const failingRows = {
      athena: failingRowsSql(model, test, staging, { dialect: 'athena', placement, incremental }),
      duckdb: failingRowsSql(model, test, staging, { dialect: 'duckdb', placement, incremental }),
    };
    return {
      name: `${prefix}-test-${test.name.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      role: 'test',
      athena: failureCountSql(failingRows.athena),
      duckdb: failureCountSql(failingRows.duckdb),
      test: { name: test.name, kind: test.kind, column: test.column, severity: test.severity, failingRows },
    };
  });

  if (model.materialized === 'view') {
    const view = (name: string, dialect: DialectName) => `CREATE OR REPLACE VIEW ${name} AS\n${select(dialect)}`;
    return [
      { name: `${prefix}-stage`, role: 'stage', athena: view(staging, 'athena'), duckdb: view(staging, 'duckdb') },
      ...tests,
      { name: `${prefix}-publish`, role: 'publish', athena: view(target, 'athena'), duckdb: view(target, 'duckdb') },
    ];
  }

  const list = columns.map(quoteIdentifier).join(', ');
  const stage: ModelStep[] = [
    { name: `${prefix}-clear-staging`, role: 'stage', athena: `DELETE FROM ${staging}`, duckdb: `DELETE FROM ${staging}` },
    {
      name: `${prefix}-stage`,
      role: 'stage',
      athena: `INSERT INTO ${staging} (${list})\nSELECT ${list} FROM (\n${select('athena')}\n) AS model`,
      duckdb: `INSERT INTO ${staging} (${list})\nSELECT ${list} FROM (\n${select('duckdb')}\n) AS model`,
    },
  ];
  const publish: ModelStep = {
    name: `${prefix}-publish`,
    role: 'publish',
    ...both((_, published) => (incremental ? mergeSql(published, staging, columns, model.uniqueKey) : replaceSql(published, staging, columns))),
  };
  return [...stage, ...tests, publish];
}
