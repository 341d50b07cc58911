/** The real app: the shipped `contracts/`, the shipped `cdk.json`, and `bin/app.ts` as the CDK CLI runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { rawTableName, validatedTableName } from '../../lib/config/names.ts';
import { readSettings } from '../../lib/config/settings.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { buildLakehouseApp } from '../../lib/stacks/lakehouse-app.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cdkContext = (JSON.parse(readFileSync(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

function runApp(context: Record<string, unknown>): { status: number | null; stderr: string; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-app-'));
  const { AWS_PROFILE: _profile, ...environment } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...environment, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context), AWS_EC2_METADATA_DISABLED: 'true' },
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

describe('the app built from contracts/', () => {
  const catalog = loadCatalog(join(repo, 'contracts'));
  const stages = buildLakehouseApp(new App(), catalog, readSettings(cdkContext));

  it('declares a raw and a validated table for every dataset of every domain', () => {
    expect(catalog.domains.length).toBeGreaterThan(0);
    for (const stage of stages) {
      for (const domain of catalog.domains) {
        const stacks = [...stage.domains.get(domain.name)!.datasets.values()];
        const tableNames = stacks.flatMap((stack) =>
          Object.values(Template.fromStack(stack).findResources('AWS::Glue::Table')).map(
            (table) => (table['Properties'] as { TableInput: { Name: string } }).TableInput.Name,
          ),
        );
        expect(tableNames.sort()).toEqual(domain.datasets.flatMap((d) => [rawTableName(d), validatedTableName(d)]).sort());
      }
    }
  });

  it('synthesizes through bin/app.ts with cdk-nag and no findings', () => {
    const { status, stderr, outdir } = runApp(cdkContext);
    expect(stderr).not.toMatch(/Error/);
    expect(status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
    const stageAssemblies = Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'cdk:cloud-assembly')
      .map(([id]) => id);
    expect(stageAssemblies.sort()).toEqual(['assembly-dev', 'assembly-prod', 'assembly-staging']);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });

  it('builds only the selected domains with -c domains=...', () => {
    const { status, outdir } = runApp({ ...cdkContext, domains: 'marketing' });
    expect(status).toBe(0);
    const devManifest = JSON.parse(readFileSync(join(outdir, 'assembly-dev', 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; displayName?: string }>;
    };
    const stacks = Object.values(devManifest.artifacts)
      .filter((artifact) => artifact.type === 'aws:cloudformation:stack')
      .map((artifact) => artifact.displayName);
    expect(stacks).toContain('dev/Platform');
    expect(stacks).toContain('dev/Marketing');
    expect(stacks.filter((name) => name?.startsWith('dev/Sales'))).toEqual([]);
  });

  it('ends with the problems and exit code 1, no stack trace, on bad settings', () => {
    const { status, stderr } = runApp({ ...cdkContext, datasetStacksPerDomian: 2 });
    expect(status).toBe(1);
    expect(stderr).toContain("cdk.json: context.datasetStacksPerDomian: unknown key; did you mean 'datasetStacksPerDomain'?");
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('ends with the contract problems and exit code 1, no stack trace, on an unknown domain', () => {
    const { status, stderr } = runApp({ ...cdkContext, domains: 'nosuch' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/contracts\/nosuch:1:1: there is no domain folder 'nosuch'/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
