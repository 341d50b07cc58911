import { describe, expect, it } from 'vitest';
import { runLakehouse } from './run-cli.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

describe('lakehouse compile', () => {
  it('prints the Athena steps of a model by default, with the environment\'s database names', async () => {
    const result = await runLakehouseInProcess(['compile', 'sales/daily_revenue', '--env', 'prod']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^-- sales-daily_revenue-clear-staging \(stage\)\nDELETE FROM "acme_prod_sales"\."daily_revenue__staging";/);
    expect(result.stdout).toContain('MERGE INTO "acme_prod_sales"."daily_revenue" AS t USING "acme_prod_sales"."daily_revenue__staging" AS s');
  });

  it('prints the DuckDB rendering as one JSON document with --json', () => {
    const result = runLakehouse(['compile', 'marketing/campaign_summary', '--dialect', 'duckdb', '--json']);
    expect(result.status).toBe(0);
    const compiled = JSON.parse(result.stdout);
    expect(compiled).toMatchObject({ model: 'marketing/campaign_summary', dialect: 'duckdb', materialized: 'view', table: '"acme_dev_marketing"."campaign_summary"' });
    expect(compiled.columns.map((column: { name: string }) => column.name)).toEqual(['campaign_id', 'campaign_name', 'channel', 'start_date', 'budget', 'events', 'sessions']);
    expect(compiled.steps.at(-1)).toMatchObject({ name: 'marketing-campaign_summary-publish', role: 'publish' });
    expect(compiled.steps.at(-1).sql).toMatch(/^CREATE OR REPLACE VIEW "acme_dev_marketing"\."campaign_summary" AS\nSELECT/);
  });

  it('exits 2 for an unknown model, a selector or an unknown dialect', async () => {
    const unknown = await runLakehouseInProcess(['compile', 'sales/daily_revnue']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean 'sales\/daily_revenue'\?/);
    const dialect = await runLakehouseInProcess(['compile', 'sales/daily_revenue', '--dialect', 'spark']);
    expect(dialect.status).toBe(2);
    expect(dialect.stderr).toMatch(/--dialect must be athena or duckdb, not 'spark'/);
    expect((await runLakehouseInProcess(['compile', '+sales/daily_revenue'])).status).toBe(2);
  });
});
