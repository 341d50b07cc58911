/**
 * `lakehouse build` and `lakehouse maintain` in a project whose cdk.json deploys one domain
 * (`"domains": "marketing"`): the app compiles models over every domain, since marketing's models
 * read sales' customers and orders, so the offline runtime must too, while only marketing gets a build and
 * maintenance. One temporary project, so one synthesis for the file.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silverTableName } from '../../lib/config/names.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { silverLakeColumns } from '../../lib/pipeline/silver-table.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { repoRoot } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

const projectRoot = mkdtempSync(join(tmpdir(), 'domain-filter-'));
const lake = new LocalLake(join(projectRoot, '.lake'));

function lakehouse(args: readonly string[]): ReturnType<typeof runLakehouseInProcess> {
  return runLakehouseInProcess(args, { cwd: projectRoot });
}

beforeAll(() => {
  cpSync(join(repoRoot, 'contracts'), join(projectRoot, 'contracts'), { recursive: true });
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8'));
  writeFileSync(join(projectRoot, 'cdk.json'), JSON.stringify({ ...cdkJson, context: { ...cdkJson.context, domains: 'marketing' } }));
  // Marketing's inputs, and the sales tables its models read, as empty silver tables: every model builds to zero rows.
  const catalog = loadCatalog(join(projectRoot, 'contracts'));
  const read = new Set(
    compileTransforms(catalog)
      .models.filter((model) => model.domain === 'marketing')
      .flatMap((model) => [...model.resolved.values()].map((target) => target.id)),
  );
  const datasets = catalog.domains.flatMap((domain) => domain.datasets);
  for (const dataset of datasets.filter((candidate) => candidate.domain === 'marketing' || read.has(candidate.names.ref))) {
    lake.createTable(`acme_dev_${dataset.domain}`, silverTableName(dataset), silverLakeColumns(dataset));
  }
});

afterAll(() => {
  rmSync(projectRoot, { recursive: true, force: true });
});

describe('a project deploying some domains', () => {
  it("builds only the deployed domain's models, reading another domain's table", async () => {
    const result = await lakehouse(['build', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.runs.map((run: { stateMachine: string }) => run.stateMachine)).toEqual(['acme-dev-marketing-build']);
    expect(report.models.map((model: { model: string; status: string }) => `${model.model} ${model.status}`).sort()).toEqual([
      'marketing/campaign_summary published',
      'marketing/customer_churn_features published',
      'marketing/web_events_by_customer_country published',
    ]);
  }, 240_000);

  it('refuses a selector naming only models of a domain the app does not deploy (exit 2)', async () => {
    const result = await lakehouse(['build', 'sales/daily_revenue']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("'sales/daily_revenue' selects models of sales only, which cdk.json's domains leaves out (deployed: marketing)");
  }, 60_000);

  it('maintains only the deployed domain, its gold tables included', async () => {
    const result = await lakehouse(['maintain', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.domains.map((run: { domain: string }) => run.domain)).toEqual(['marketing']);
    expect(report.domains[0].tables.map((table: { table: string }) => table.table)).toContain('acme_dev_marketing.web_events_by_customer_country');
  }, 120_000);
});
