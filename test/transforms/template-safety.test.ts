import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { checkTransforms, compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { TransformModel } from '../../lib/transforms/model.ts';
import { modelSteps } from '../../lib/transforms/model-steps.ts';
import { renderModel, type RenderOptions } from '../../lib/transforms/render.ts';
import { repoRoot, runLakehouse } from '../cli/run-cli.ts';
import { catalogWith, modelFile, repoContracts } from './helpers.ts';

/**
 * Model files are templates, and nunjucks compiles a template to JavaScript: only the documented
 * constructs may appear (lib/transforms/README.md, "What user SQL may do"), checked on the syntax
 * tree before anything renders, and what renders must be one SELECT.
 */
declare global {
  var modelTemplateRanCode: number | undefined;
}

const scratch = mkdtempSync(join(tmpdir(), 'template-safety-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const placement = { database: (domain: string) => `lakehouse_${domain}` };
const options = (dialect: RenderOptions['dialect'], incremental = false): RenderOptions => ({ dialect, placement, incremental });

function problemsOf(models: Record<string, string>): string[] {
  return checkTransforms(catalogWith(models)).problems.map((problem) => formatProblem(problem).replace(/^.*\/(\w+\/transforms\/)/, '$1'));
}

function compiled(template: string): TransformModel {
  return compileTransforms(catalogWith({ 'sales/m': modelFile('materialized: table', template) })).models[0]!;
}

/** A model that compiled, its template then replaced: what rendering sees if a check upstream were skipped. */
function withTemplate(template: string): TransformModel {
  return { ...compiled("SELECT * FROM {{ ref('orders') }}"), template };
}

describe('a model template that would run JavaScript', () => {
  const exploit = '{{ range.constructor("globalThis.modelTemplateRanCode = 7")() }}';

  it('is refused at compile with file:line:column, and its code never runs', () => {
    expect(problemsOf({ 'sales/evil': modelFile('materialized: table', `SELECT 1 AS x\n${exploit}`) })).toEqual([
      expect.stringMatching(/^sales\/transforms\/evil\.sql:5:\d+: only ref\('<name>'\) and is_incremental\(\) may be called/),
    ]);
    expect(globalThis.modelTemplateRanCode).toBeUndefined();
  });

  it('does not run when the CLI compiles the project: exit 2 with the problem, not the exit code the template asks for', () => {
    const project = mkdtempSync(join(scratch, 'project-'));
    cpSync(join(repoRoot, 'cdk.json'), join(project, 'cdk.json'));
    cpSync(repoContracts, join(project, 'contracts'), { recursive: true });
    writeFileSync(join(project, 'contracts/sales/transforms/evil.sql'), modelFile('materialized: table', '{{ range.constructor("process.exit(7)")() }}'));
    const result = runLakehouse(['compile', 'sales/daily_revenue'], { cwd: project });
    expect(result.stderr).toMatch(/evil\.sql:4:\d+: only ref\('<name>'\) and is_incremental\(\) may be called/);
    expect(result.status).toBe(2);
  });

  it('is refused in a custom test at the line of its sql', () => {
    const problems = problemsOf({ 'sales/evil': modelFile(`materialized: table\ntests:\n  - sql: SELECT * FROM {{ this }} ${exploit}`, 'SELECT 1 AS x') });
    expect(problems).toEqual([expect.stringMatching(/^sales\/transforms\/evil\.sql:4:\d+: only ref/)]);
    expect(globalThis.modelTemplateRanCode).toBeUndefined();
  });

  it('is refused by rendering itself, for a model that never went through the compile check', () => {
    expect(() => renderModel(withTemplate(`SELECT 1 AS x ${exploit}`), options('athena'))).toThrow(/m\.sql:4:\d+: only ref/);
    expect(globalThis.modelTemplateRanCode).toBeUndefined();
  });

  it.each([
    ['an attribute lookup', "{{ this.constructor }}", 'attribute lookups are not allowed (only target.type)'],
    ['an unknown name', '{{ process }}', "unknown name 'process'"],
    ['a filter', "{{ ref('orders') | safe }}", 'a filter (|) is not allowed'],
    ['set', '{% set x = 1 %}', '{% set %} is not allowed'],
    ['a macro', '{% macro m() %}x{% endmacro %}', '{% macro %} is not allowed'],
    ['an include', "{% include 'other.sql' %}", '{% include %} is not allowed'],
    ['a loop', '{% for x in [1] %}x{% endfor %}', '{% for %} is not allowed'],
    ['a call of anything else', '{{ cycler() }}', "only ref('<name>') and is_incremental() may be called"],
    ['a ref built at render time', "{{ ref('ord' ~ 'ers') }}", 'ref takes one literal name'],
  ])('refuses %s', (_, template, message) => {
    const problems = problemsOf({ 'sales/m': modelFile('materialized: table', `SELECT 1 AS x\n${template}`) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sales\/transforms\/m\.sql:5:\d+: /);
    expect(problems[0]).toContain(message);
  });
});

describe('what a model template may use', () => {
  it('renders ref, this, is_incremental(), if/elif/else, target.type, literals, not, and, or', () => {
    const model = compiled(
      [
        "SELECT o.order_id, {% if target.type == 'athena' %}'athena'{% elif target.type != 'duckdb' %}'other'{% else %}'duckdb'{% endif %} AS engine",
        "FROM {{ ref('orders') }} AS o JOIN {{ ref('sales/customers') }} AS c ON c.customer_id = o.customer_id",
        "{% if is_incremental() and not (target.type == 'duckdb' or false) %}WHERE o.order_date > (SELECT max(order_date) FROM {{ this }}){% endif %}",
      ].join('\n'),
    );
    expect(renderModel(model, options('athena', true))).toBe(
      [
        "SELECT o.order_id, 'athena' AS engine",
        'FROM "lakehouse_sales"."orders" AS o JOIN "lakehouse_sales"."customers_v2" AS c ON c.customer_id = o.customer_id',
        'WHERE o.order_date > (SELECT max(order_date) FROM "lakehouse_sales"."m")',
      ].join('\n'),
    );
    expect(renderModel(model, options('duckdb', true))).toBe(
      ["SELECT o.order_id, 'duckdb' AS engine", 'FROM "lakehouse_sales"."orders" AS o JOIN "lakehouse_sales"."customers_v2" AS c ON c.customer_id = o.customer_id'].join('\n'),
    );
  });

  it('compiles and renders the shipped models in both dialects', async () => {
    const dag = compileTransforms(loadCatalog(repoContracts));
    const columns = await inferModelColumns(dag);
    for (const model of dag.models) {
      const steps = modelSteps(model, columns.get(model.id)!.map((column) => column.name), placement);
      expect(steps.length, model.id).toBeGreaterThan(2);
    }
  });
});

describe('what a model renders is exactly one SELECT', () => {
  it.each([
    ['a second statement', "SELECT * FROM {{ ref('orders') }}; COPY (SELECT 1) TO '.lake/x.json'", /'COPY' is not valid at this position/],
    ['a table function reading a file', "SELECT * FROM TABLE(read_text('/etc/passwd'))", /table functions \(TABLE\(\.\.\.\)\) are not allowed/],
    ['a file reader in an expression', "SELECT read_text('/etc/passwd') AS x FROM {{ ref('orders') }}", /read_text\(\) reads files/],
    ['another statement', "DELETE FROM {{ ref('orders') }}", /only a SELECT is allowed, not DELETE/],
  ])('refuses %s in the model, when its columns are inferred at synth', async (_, sql, message) => {
    const dag = compileTransforms(catalogWith({ 'sales/m': modelFile('materialized: table', sql) }));
    const error = await inferModelColumns(dag).then(() => undefined, (caught: Error) => caught.message);
    expect(error).toMatch(/m\.sql:4:1: a model and each of its tests must be exactly one SELECT \(line 1, column \d+ of the duckdb rendering\)/);
    expect(error).toMatch(message);
  });

  it('refuses a second statement hidden from Athena\'s grammar in an E-string, and DuckDB never runs it', async () => {
    const outside = join(scratch, 'written-at-synth.csv');
    const dag = compileTransforms(catalogWith({ 'sales/m': modelFile('materialized: table', `SELECT E'\\''; COPY (SELECT 1 AS x) TO $$${outside}$$; --' AS y FROM {{ ref('orders') }}`) }));
    const error = await inferModelColumns(dag).then(() => undefined, (caught: Error) => caught.message);
    expect(error).toMatch(/m\.sql:4:1: a model and each of its tests must be exactly one SELECT \(line 1, column 8 of the duckdb rendering\): E'\.\.\.' is not a literal Athena knows/);
    expect(existsSync(outside)).toBe(false);
  });

  it('refuses a custom test that is not one SELECT, at the line of its sql', async () => {
    const dag = compileTransforms(catalogWith({ 'sales/m': modelFile("materialized: table\ntests:\n  - sql: SELECT * FROM {{ this }}; DROP TABLE x", "SELECT order_id FROM {{ ref('orders') }}") }));
    const error = await inferModelColumns(dag).then(() => undefined, (caught: Error) => caught.message);
    expect(error).toMatch(/m\.sql:4:10: a model and each of its tests must be exactly one SELECT .*only one statement is allowed/);
  });
});
