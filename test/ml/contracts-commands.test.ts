/** `contracts check` and `contracts list` on a project with ML model specs, run in the test process. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { CHURN_SPEC, churnSpecWith, mlProject, positionOf } from './ml-project.ts';

let dir: string;

beforeAll(() => {
  dir = mlProject({ 'churn.yaml': CHURN_SPEC });
});

describe('lakehouse contracts check with ML model specs', () => {
  it('checks them with the contracts and counts them', async () => {
    const result = await runLakehouseInProcess(['contracts', 'check'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^contracts: 2 domains, 5 datasets, 1 ML model, no problems$/m);
    const json = await runLakehouseInProcess(['contracts', 'check', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, datasets: 5, mlModels: 1, problems: [], warnings: [] });
  });

  it("exits 1 on a bad spec, naming its file:line:column among the contracts' problems", async () => {
    const bad = mlProject({ 'churn.yaml': churnSpecWith('max_depth: 4', 'max_dept: 4') });
    const result = await runLakehouseInProcess(['contracts', 'check'], { cwd: bad });
    expect(result.status).toBe(1);
    const { line, column } = positionOf(churnSpecWith('max_depth: 4', 'max_dept: 4'), 'max_dept');
    expect(result.stdout).toBe(
      `contracts/marketing/ml/churn.yaml:${line}:${column}: algorithm.hyperparameters: unknown field 'max_dept'; did you mean 'max_depth'?\n`,
    );
    expect(result.stderr).toMatch(/^1 problem in 1 file$/m);
  });

  it("exits 2 outside a project: a spec's names need cdk.json, which a project without specs does not", async () => {
    const bare = mlProject({ 'churn.yaml': CHURN_SPEC });
    rmSync(join(bare, 'cdk.json'));
    const result = await runLakehouseInProcess(['contracts', 'check'], { cwd: bare });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no cdk\.json in /);
    rmSync(join(bare, 'contracts/marketing/ml'), { recursive: true });
    expect((await runLakehouseInProcess(['contracts', 'check'], { cwd: bare })).status).toBe(0);
  });

  it('reports a feature model that does not compile, since the spec cannot be checked without it', async () => {
    const bad = mlProject({ 'churn.yaml': CHURN_SPEC });
    writeFileSync(join(bad, 'contracts/marketing/transforms/broken.sql'), "---\nmaterialized: table\n---\nSELECT * FROM {{ ref('nothing') }}\n");
    const result = await runLakehouseInProcess(['contracts', 'check'], { cwd: bad });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^contracts\/marketing\/transforms\/broken\.sql:4:\d+: ref\('nothing'\)/m);
  });
});

describe('lakehouse contracts list with ML model specs', () => {
  it("lists each ML model after the datasets, with its approval in each environment of cdk.json", async () => {
    const result = await runLakehouseInProcess(['contracts', 'list'], { cwd: dir });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('ML MODEL'));
    expect(lines[header]).toMatch(/^ML MODEL\s+FEATURES\s+LABEL\s+ALGORITHM\s+THRESHOLDS\s+APPROVAL\s+TRIGGER$/);
    // The spec says auto; staging and prod say manual in cdk.json, and the stricter holds.
    expect(lines[header + 2]).toMatch(
      /^marketing\/churn\s+marketing\/customer_churn_features\s+churned\s+xgboost binary:logistic\s+validation:auc >= 0\.8, validation:logloss <= 0\.5\s+dev=auto staging=manual prod=manual\s+after-feature-build$/,
    );
  });

  it('gives the ML models as JSON with --ml, and leaves the datasets JSON as it was', async () => {
    const ml = await runLakehouseInProcess(['contracts', 'list', '--ml', '--json'], { cwd: dir });
    expect(ml.status).toBe(0);
    expect(JSON.parse(ml.stdout)).toEqual([
      {
        model: 'marketing/churn',
        domain: 'marketing',
        featureModel: 'marketing/customer_churn_features',
        key: ['customer_id'],
        label: 'churned',
        algorithm: 'xgboost',
        objective: 'binary:logistic',
        thresholds: ['validation:auc >= 0.8', 'validation:logloss <= 0.5'],
        approval: { dev: 'auto', staging: 'manual', prod: 'manual' },
        trigger: 'after-feature-build',
        file: 'contracts/marketing/ml/churn.yaml',
      },
    ]);
    const datasets = await runLakehouseInProcess(['contracts', 'list', '--json'], { cwd: dir });
    expect((JSON.parse(datasets.stdout) as { dataset: string }[]).map((row) => row.dataset)).toEqual([
      'campaigns',
      'web_events',
      'customers',
      'order_items',
      'orders',
    ]);
  });

  it('exits 2 when a spec has problems, naming them on stderr', async () => {
    const bad = mlProject({ 'churn.yaml': churnSpecWith('label: churned', 'label: churn') });
    const result = await runLakehouseInProcess(['contracts', 'list', '--ml', '--json'], { cwd: bad });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^contracts\/marketing\/ml\/churn\.yaml:\d+:\d+: label: 'churn' is not a column/m);
  });
});
