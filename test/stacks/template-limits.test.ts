/**
 * CloudFormation's per-template quotas, checked after synthesis on the templates as written: a
 * dataset stack whose datasets together pass 1,000,000 bytes fails the synth naming the stack, its
 * size, the limit and the setting to change; the shipped-size fixture app passes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsError } from '../../lib/config/settings.ts';
import { checkTemplateLimits, synthesizedTemplates, TEMPLATE_BODY_LIMIT_BYTES, templateLimitProblems } from '../../lib/stacks/template-limits.ts';
import { buildApp } from './build.ts';
import { catalog, column, dataset, domain, settings } from './fixtures.ts';

const outdir = mkdtempSync(join(tmpdir(), 'template-limits-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

// Wide datasets, all in one stack: few datasets, each far over a shipped one's size.
const WIDE_COLUMNS = 300;
const wide = (name: string) =>
  dataset('wide', name, {
    columns: Array.from({ length: WIDE_COLUMNS }, (_, index) => column(`measure_${index}`, { kind: 'string' }, `Measure ${index} of ${name}`)),
    primaryKey: ['measure_0'],
  });
const crowded = { catalog: catalog(domain('wide', ['a', 'b', 'c', 'd', 'e', 'f'].map(wide))), settings: settings({ datasetStacksPerDomain: 1 }) };
const built = buildApp(crowded.catalog, crowded.settings, { outdir });
built.app.synth();
const lakehouse = { stages: built.stages, settings: crowded.settings };

describe('template limits', () => {
  it('measures each template as written, in bytes, dataset stacks told apart', () => {
    const templates = synthesizedTemplates(lakehouse.stages);
    const datasets = templates.find((template) => template.stack === 'dev/WideDatasets0');
    expect(datasets).toMatchObject({ holdsDatasets: true });
    expect(datasets!.bytes).toBeGreaterThan(TEMPLATE_BODY_LIMIT_BYTES);
    expect(templates.find((template) => template.stack === 'dev/Platform')).toMatchObject({ holdsDatasets: false });
  });

  it('fails the synth naming the stack over the limit, its size, the limit and the setting to raise', () => {
    expect(() => checkTemplateLimits(lakehouse)).toThrow(SettingsError);
    expect(() => checkTemplateLimits(lakehouse)).toThrow(
      /stack dev\/WideDatasets0: its template is [\d,]+ bytes, over CloudFormation's limit of 1,000,000 bytes per template: raise datasetStacksPerDomain in cdk\.json \(now 1\), before the first deployment/,
    );
  });

  it('says what to change for a stack no setting splits, and counts resources too', () => {
    expect(templateLimitProblems([{ stack: 'dev/Sales', bytes: 1_000_001, resources: 501, holdsDatasets: false }], 4)).toEqual([
      "stack dev/Sales: its template is 1,000,001 bytes, over CloudFormation's limit of 1,000,000 bytes per template: move some of its domain's datasets or models to another domain",
      "stack dev/Sales: its template has 501 resources, over CloudFormation's limit of 500 per template: move some of its domain's datasets or models to another domain",
    ]);
    expect(templateLimitProblems([{ stack: 'dev/Sales', bytes: 1_000_000, resources: 500, holdsDatasets: false }], 4)).toEqual([]);
  });
});
