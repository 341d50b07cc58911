import nunjucks from 'nunjucks';
import type { SourcePosition } from '../contracts/model.ts';
import type { ContractProblem } from '../contracts/problems.ts';
import { ContractError } from '../contracts/problems.ts';
import { quoteIdentifier } from '../sql/ansi.ts';
import { singleSelectProblem } from '../sql/single-select.ts';
import type { TransformModel } from './model.ts';
import { templateProblemsAt } from './template-allow-list.ts';

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
  return renderTemplate(model, model.template, { file: model.file, line: model.templateLine, column: 1 }, options);
}

/**
 * Renders a template of `model` (its SELECT, or a custom test's SQL written at `start`) with
 * `ref`, `this`, `is_incremental` and dbt's `target.type` (the dialect). The template is checked
 * against the documented constructs before nunjucks compiles it (which would run any JavaScript
 * it holds), and what it renders must be exactly one SELECT (DESIGN.md, "User-written SQL is
 * sandboxed").
 */
export function renderTemplate(model: TransformModel, template: string, start: SourcePosition, options: RenderOptions): string {
  const refused = templateProblemsAt(start, template);
  if (refused.length > 0) throw new ContractError(refused);
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
  let rendered: string;
  try {
    rendered = environment.renderString(template, context).trim();
  } catch (error) {
    throw new ContractError([templateProblem(start, error as Error)]);
  }
  const notOneSelect = singleSelectProblem(rendered);
  if (notOneSelect !== undefined) {
    const where = `line ${notOneSelect.line}, column ${notOneSelect.column} of the ${options.dialect} rendering`;
    throw new ContractError([{ ...start, message: `a model and each of its tests must be exactly one SELECT (${where}): ${notOneSelect.message}` }]);
  }
  return rendered;
}

/** Nunjucks reports `[Line n, Column m]` within the template; the file's line adds the front matter. */
function templateProblem(start: SourcePosition, error: Error): ContractProblem {
  const where = /\[Line (\d+), Column (\d+)\]/.exec(error.message);
  const message = error.message.replace(/^\(unknown path\)( \[Line \d+, Column \d+\])?\s*/, '').replace(/^Error: /, '').trim();
  return {
    file: start.file,
    line: start.line + (where === null ? 0 : Number(where[1]) - 1),
    column: where === null ? start.column : Number(where[2]),
    message: `template error: ${message}`,
  };
}
