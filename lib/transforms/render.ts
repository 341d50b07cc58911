import nunjucks from 'nunjucks';
import type { ContractProblem } from '../contracts/problems.ts';
import { ContractError } from '../contracts/problems.ts';
import { quoteIdentifier } from '../sql/ansi.ts';
import type { TransformModel } from './model.ts';

export type DialectName = 'athena' | 'duckdb';

/** Which database each domain's tables live in: the Glue database of an environment, or a schema offline. */
export interface Placement {
  database(domain: string): string;
}

/** The staging table a `table` or `incremental` model is built and tested in before it is published. */
export function stagingTableName(model: Pick<TransformModel, 'name'>): string {
  return `${model.name}__staging`;
}

export function relation(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

export function modelRelation(model: Pick<TransformModel, 'domain' | 'name'>, placement: Placement): string {
  return relation(placement.database(model.domain), model.name);
}

export function stagingRelation(model: Pick<TransformModel, 'domain' | 'name'>, placement: Placement): string {
  return relation(placement.database(model.domain), stagingTableName(model));
}

export interface RenderOptions {
  readonly dialect: DialectName;
  readonly placement: Placement;
  /** What `is_incremental()` returns. */
  readonly incremental: boolean;
  /** What `{{ this }}` stands for. @default the model's own table */
  readonly self?: string;
}

/** dbt's rendering: no HTML escaping, and an undefined name is an error rather than an empty string. */
const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

/** The model's SELECT in one dialect. Throws `ContractError` pointing into the model file. */
export function renderModel(model: TransformModel, options: RenderOptions): string {
  return renderTemplate(model, model.template, model.templateLine, options);
}

/**
 * Renders a template of `model` (its SELECT, or a custom test's SQL starting at `line`) with
 * `ref`, `this`, `is_incremental` and dbt's `target.type` (the dialect).
 */
export function renderTemplate(model: TransformModel, template: string, line: number, options: RenderOptions): string {
  const context = {
    ref: (name: string): string => {
      const target = model.resolved.get(name);
      if (target === undefined) throw new Error(`ref('${name}') is built at render time; write each ref as a literal so it can be checked`);
      return relation(options.placement.database(target.domain), target.table);
    },
    this: options.self ?? modelRelation(model, options.placement),
    is_incremental: () => options.incremental,
    target: { type: options.dialect },
  };
  try {
    return environment.renderString(template, context).trim();
  } catch (error) {
    throw new ContractError([templateProblem(model.file, line, error as Error)]);
  }
}

/** Nunjucks reports `[Line n, Column m]` within the template; the file's line adds the front matter. */
function templateProblem(file: string, templateLine: number, error: Error): ContractProblem {
  const where = /\[Line (\d+), Column (\d+)\]/.exec(error.message);
  const message = error.message.replace(/^\(unknown path\)( \[Line \d+, Column \d+\])?\s*/, '').replace(/^Error: /, '').trim();
  return {
    file,
    line: templateLine + (where === null ? 0 : Number(where[1]) - 1),
    column: where === null ? 1 : Number(where[2]),
    message: `template error: ${message}`,
  };
}
