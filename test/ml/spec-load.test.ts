import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentSettings } from '../../lib/config/settings.ts';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { approvalIn } from '../../lib/ml/approval.ts';
import { checkMlModels, loadMlModels, type MlNaming } from '../../lib/ml/load.ts';
import type { MlModel } from '../../lib/ml/model.ts';
import { CHURN_SPEC, mlProject, positionOf, SHIPPED_CHURN_SPEC } from './ml-project.ts';

const naming: MlNaming = { organization: 'acme', environments: [{ name: 'dev' }, { name: 'prod' }] };

/** A second feature model with a date, for a time cut-off split. */
const SIGNUPS_MODEL = `---
materialized: table
---
SELECT c.customer_id, c.signup_date, CAST(length(c.email) AS BIGINT) AS email_length, c.marketing_opt_in
FROM {{ ref('sales/customers') }} AS c
`;

const OPT_IN_SPEC = `featureModel: customer_signups
key: [customer_id]
label: marketing_opt_in
split:
  cutoff:
    column: signup_date
    at: '2026-01-01'
algorithm:
  objective: binary:hinge
  hyperparameters:
    num_round: 20
    eval_metric: [auc]
thresholds: ['validation:error < 0.3']
approval: manual
trigger:
  schedule: cron(0 4 ? * MON *)
`;

/** The example spec of the README's "ML models" section, so the docs cannot drift from what loads. */
const README_SPEC = /## ML models\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'))![1]!;

let models: readonly MlModel[];
let dir: string;

beforeAll(async () => {
  dir = mlProject({ 'churn.yaml': CHURN_SPEC, 'opt_in.yaml': OPT_IN_SPEC, 'readme_churn.yaml': README_SPEC, 'shipped_churn.yaml': SHIPPED_CHURN_SPEC });
  writeFileSync(join(dir, 'contracts/marketing/transforms/customer_signups.sql'), SIGNUPS_MODEL);
  models = await loadMlModels(loadCatalog(join(dir, 'contracts')), () => naming);
});

describe('a good ML model spec', () => {
  it('loads into the typed model: feature model, key, label, features, split, algorithm, thresholds, approval, trigger', () => {
    const churn = models.find((model) => model.id === 'marketing/churn')!;
    const file = join(dir, 'contracts/marketing/ml/churn.yaml');
    expect(churn).toEqual({
      id: 'marketing/churn',
      domain: 'marketing',
      name: 'churn',
      file,
      description: 'Which customers stop ordering, from their orders and web activity.',
      featureModel: 'marketing/customer_churn_features',
      key: ['customer_id'],
      label: 'churned',
      features: [
        { name: 'marketing_opt_in', type: 'BOOLEAN' },
        { name: 'orders', type: 'BIGINT' },
        { name: 'revenue', type: 'DOUBLE' },
        { name: 'web_events', type: 'BIGINT' },
      ],
      split: { kind: 'fraction', trainFraction: 0.8, seed: 42 },
      algorithm: {
        name: 'xgboost',
        objective: 'binary:logistic',
        hyperparameters: { num_round: 100, max_depth: 4, eta: 0.2, subsample: 0.8 },
        evalMetrics: ['logloss', 'auc'],
      },
      thresholds: [
        { metric: 'validation:auc', operator: '>=', value: 0.8, position: { file, ...positionOf(CHURN_SPEC, 'validation:auc') } },
        { metric: 'validation:logloss', operator: '<=', value: 0.5, position: { file, ...positionOf(CHURN_SPEC, 'validation:logloss') } },
      ],
      approval: 'auto',
      trigger: { kind: 'after-feature-build' },
      position: { file, ...positionOf(CHURN_SPEC, 'description:') },
    });
  });

  it('takes a time cut-off, a schedule, a key list, a short feature model name and the default algorithm', () => {
    const optIn = models.find((model) => model.id === 'marketing/opt_in')!;
    expect(optIn.featureModel).toBe('marketing/customer_signups');
    expect(optIn.key).toEqual(['customer_id']);
    expect(optIn.split).toEqual({ kind: 'cutoff', column: 'signup_date', at: '2026-01-01' });
    // The cut-off column orders rows; it is not learned from.
    expect(optIn.features.map((feature) => feature.name)).toEqual(['email_length']);
    expect(optIn.algorithm).toMatchObject({ name: 'xgboost', objective: 'binary:hinge', evalMetrics: ['auc', 'error'] });
    expect(optIn.trigger).toEqual({ kind: 'schedule', expression: 'cron(0 4 ? * MON *)' });
    expect(optIn.approval).toBe('manual');
  });

  it("is the README's example, which loads to the same model as the shipped spec", () => {
    const withoutSource = ({ id, name, file, position, thresholds, ...model }: MlModel) => ({ ...model, thresholds: thresholds.map(({ position, ...threshold }) => threshold) });
    const churn = models.find((model) => model.id === 'marketing/shipped_churn')!;
    const readme = models.find((model) => model.id === 'marketing/readme_churn')!;
    expect(withoutSource(readme)).toEqual(withoutSource(churn));
  });

  it('needs no settings and compiles nothing when no domain has a spec', async () => {
    const result = await checkMlModels(loadCatalog(join(mlProject({}), 'contracts')), () => {
      throw new Error('settings read without a spec');
    });
    expect(result).toEqual({ models: [], problems: [] });
  });
});

describe('approval per environment', () => {
  const environment = (modelApproval: EnvironmentSettings['modelApproval']) => ({ modelApproval });

  it("is the stricter of the spec's and the environment's: manual beats auto", () => {
    expect(approvalIn({ approval: 'auto' }, environment('auto'))).toBe('auto');
    expect(approvalIn({ approval: 'auto' }, environment('manual'))).toBe('manual');
    expect(approvalIn({ approval: 'manual' }, environment('auto'))).toBe('manual');
    expect(approvalIn({ approval: 'manual' }, environment('manual'))).toBe('manual');
  });

  it("is the environment's when the spec says nothing", () => {
    expect(approvalIn({}, environment('auto'))).toBe('auto');
    expect(approvalIn({}, environment('manual'))).toBe('manual');
  });
});
