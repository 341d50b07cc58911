/**
 * ML model specs checked like contracts: every bad kind fails at the file, line and column to edit,
 * naming the field, with a did-you-mean where a near name exists. All bad specs sit in one project
 * and are checked in one pass (one inference of the models on DuckDB), each asserting its own file.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { formatProblem, type ContractProblem } from '../../lib/contracts/problems.ts';
import { checkMlModels, type MlNaming } from '../../lib/ml/load.ts';
import { CHURN_SPEC, churnSpecWith, mlProject, positionOf } from './ml-project.ts';

const naming: MlNaming = { organization: 'acme', environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }] };
/** 41 characters: the group name fits under dev's and prod's prefixes (60 and 61 characters) but not staging's (64). */
const LONG_NAME = 'churn_within_thirty_days_after_last_order';

const BAD_SPECS: Record<string, string> = {
  'unknown_key.yaml': churnSpecWith('approval: auto', 'aproval: auto'),
  'unknown_hyperparameter.yaml': churnSpecWith('max_depth: 4', 'max_dept: 4'),
  'hyperparameter_range.yaml': churnSpecWith('eta: 0.2', 'eta: 1.5'),
  'unknown_metric.yaml': churnSpecWith('validation:auc >= 0.80', 'validation:acu >= 0.80'),
  'unknown_channel.yaml': churnSpecWith('validation:auc >= 0.80', 'validaton:auc >= 0.80'),
  'unreported_metric.yaml': churnSpecWith('metric: validation:logloss', 'metric: validation:rmse'),
  'missing_feature_model.yaml': churnSpecWith('featureModel: marketing/customer_churn_features', 'featureModel: marketing/customer_churn_feature'),
  'view_feature_model.yaml': churnSpecWith('featureModel: marketing/customer_churn_features', 'featureModel: campaign_summary'),
  'label_not_column.yaml': churnSpecWith('label: churned', 'label: churn'),
  'label_type.yaml': churnSpecWith('label: churned', 'label: revenue'),
  'bad_fraction.yaml': churnSpecWith('fraction: 0.8', 'fraction: 1.5'),
  'bad_seed.yaml': churnSpecWith('seed: 42', 'seed: 4.2'),
  'bad_schedule.yaml': churnSpecWith('trigger: after-feature-build', 'trigger:\n  schedule: cron(0 4 * * * *)'),
  'bad_rate.yaml': churnSpecWith('trigger: after-feature-build', 'trigger:\n  schedule: rate(1 hours)'),
  'split_both.yaml': churnSpecWith('  seed: 42\n', '  seed: 42\n  cutoff:\n    column: orders\n    at: 2026-01-01\n'),
  'multi_class.yaml': churnSpecWith('objective: binary:logistic', 'objective: multi:softmax'),
  'text_feature.yaml': churnSpecWith('featureModel: marketing/customer_churn_features\nkey: customer_id\nlabel: churned', 'featureModel: web_events_by_customer_country\nkey: country_code\nlabel: events').replace('binary:logistic', 'reg:squarederror').replace(/thresholds:[\s\S]*approval/, 'thresholds: [validation:rmse < 10]\napproval'),
  [`${LONG_NAME}.yaml`]: CHURN_SPEC,
  'Churn.yaml': CHURN_SPEC,
  'churn.yml': CHURN_SPEC,
  'eu_churn.yaml': CHURN_SPEC,
};

let dir: string;
let problems: readonly ContractProblem[];

beforeAll(async () => {
  dir = mlProject(BAD_SPECS);
  // A spec of sales reading marketing's model, which marketing does not share.
  mkdirSync(join(dir, 'contracts/sales/ml'));
  writeFileSync(join(dir, 'contracts/sales/ml/churn.yaml'), CHURN_SPEC);
  // marketing_eu/churn and marketing/eu_churn would both be SageMaker's acme-<env>-marketing-eu-churn.
  mkdirSync(join(dir, 'contracts/marketing_eu/ml'), { recursive: true });
  writeFileSync(join(dir, 'contracts/marketing_eu/domain.yaml'), 'domain: marketing_eu\nowner: {team: eu-marketing, email: eu@example.com}\nalerts: {emails: [eu@example.com]}\n');
  writeFileSync(join(dir, 'contracts/marketing_eu/ml/churn.yaml'), CHURN_SPEC);
  const result = await checkMlModels(loadCatalog(join(dir, 'contracts')), () => naming);
  expect(result.models).toBeUndefined();
  problems = result.problems;
});

/** The problems of one spec file, formatted, with the file as the spec's name. */
function problemsOf(file: string, domain = 'marketing'): string[] {
  const path = join(dir, 'contracts', domain, 'ml', file);
  return problems.filter((problem) => problem.file === path).map((problem) => formatProblem({ ...problem, file }));
}

/** `file:line:column: message` at the first place `at` is written in the spec. */
function at(file: string, text: string, message: string): string {
  const { line, column } = positionOf(BAD_SPECS[file]!, text);
  return `${file}:${line}:${column}: ${message}`;
}

describe('a bad ML model spec', () => {
  it('names an unknown key at the key, with a did-you-mean', () => {
    expect(problemsOf('unknown_key.yaml')).toEqual([at('unknown_key.yaml', 'aproval', "unknown field 'aproval'; did you mean 'approval'?")]);
  });

  it('names an unknown hyperparameter, and a value out of its documented range', () => {
    expect(problemsOf('unknown_hyperparameter.yaml')).toEqual([
      at('unknown_hyperparameter.yaml', 'max_dept', "algorithm.hyperparameters: unknown field 'max_dept'; did you mean 'max_depth'?"),
    ]);
    expect(problemsOf('hyperparameter_range.yaml')).toEqual([at('hyperparameter_range.yaml', '1.5', 'algorithm.hyperparameters.eta: must be <= 1 (got 1.5)')]);
  });

  it('names a metric XGBoost does not report, a channel it does not have, and one the objective does not report', () => {
    expect(problemsOf('unknown_metric.yaml')).toEqual([
      at('unknown_metric.yaml', 'validation:acu', "thresholds[0]: unknown metric 'acu' (XGBoost reports for binary:logistic: auc, aucpr, error, logloss); did you mean 'auc'?"),
    ]);
    expect(problemsOf('unknown_channel.yaml')).toEqual([
      at('unknown_channel.yaml', 'validaton:auc', "thresholds[0]: 'validaton:auc' does not name a metric as '<channel>:<metric>' with channel train or validation; did you mean 'validation'?"),
    ]);
    expect(problemsOf('unreported_metric.yaml')).toEqual([
      at('unreported_metric.yaml', 'validation:rmse', "thresholds[1].metric: objective binary:logistic does not report 'rmse' (it reports auc, aucpr, error, logloss)"),
    ]);
  });

  it('names a feature model that does not exist, with a did-you-mean, and one that is a view', () => {
    expect(problemsOf('missing_feature_model.yaml')).toEqual([
      at('missing_feature_model.yaml', 'marketing/customer_churn_feature', "featureModel: there is no gold model 'marketing/customer_churn_feature' in the transforms; did you mean 'marketing/customer_churn_features'?"),
    ]);
    const view = problemsOf('view_feature_model.yaml');
    expect(view).toHaveLength(1);
    expect(view[0]).toMatch(new RegExp(`^${at('view_feature_model.yaml', 'campaign_summary', "featureModel: 'marketing/campaign_summary' is a view")}.*make it materialized: table or incremental$`));
  });

  it("refuses another domain's feature model that domain does not share", () => {
    const path = join(dir, 'contracts/sales/ml/churn.yaml');
    const { line, column } = positionOf(CHURN_SPEC, 'marketing/customer_churn_features');
    expect(problemsOf('churn.yaml', 'sales')).toEqual([
      `churn.yaml:${line}:${column}: featureModel: domain 'marketing' does not share 'customer_churn_features' (add it to shares in its domain.yaml to allow this)`,
    ]);
    expect(problems.some((problem) => problem.file === path)).toBe(true);
  });

  it("names a label that is not a column of the feature model, and one whose type does not fit the objective", () => {
    expect(problemsOf('label_not_column.yaml')).toEqual([
      at('label_not_column.yaml', 'churn\n', "label: 'churn' is not a column of 'marketing/customer_churn_features' (it has customer_id, marketing_opt_in, orders, revenue, web_events, churned); did you mean 'churned'?"),
    ]);
    expect(problemsOf('label_type.yaml')).toEqual([
      at('label_type.yaml', 'revenue', "label: objective binary:logistic needs a boolean or a 0/1 integer as label, but 'revenue' is DOUBLE"),
    ]);
    expect(problemsOf('multi_class.yaml')).toEqual([
      at('multi_class.yaml', 'churned', "label: objective multi:softmax needs an integer class index (0 to num_class - 1) as label, but 'churned' is BOOLEAN"),
      at('multi_class.yaml', 'num_round', 'algorithm.hyperparameters: objective multi:softmax needs num_class (the number of classes)'),
      at('multi_class.yaml', 'validation:auc', "thresholds[0]: objective multi:softmax does not report 'auc' (it reports merror, mlogloss)"),
      at('multi_class.yaml', 'validation:logloss', "thresholds[1].metric: objective multi:softmax does not report 'logloss' (it reports merror, mlogloss)"),
    ]);
  });

  it('refuses a feature XGBoost cannot learn from', () => {
    expect(problemsOf('text_feature.yaml')).toEqual([
      at('text_feature.yaml', 'web_events_by_customer_country', "featureModel: column 'event_type' of 'marketing/web_events_by_customer_country' is VARCHAR: XGBoost learns from numbers and booleans only; encode it in the feature model's SQL or leave it out"),
    ]);
  });

  it('names a fraction outside (0, 1), a seed that is no whole number, and a split that is both kinds', () => {
    expect(problemsOf('bad_fraction.yaml')).toEqual([at('bad_fraction.yaml', '1.5', 'split.fraction: must be < 1 (got 1.5)')]);
    expect(problemsOf('bad_seed.yaml')).toEqual([at('bad_seed.yaml', '4.2', 'split.seed: must be a whole number (got 4.2)')]);
    expect(problemsOf('split_both.yaml')).toEqual([at('split_both.yaml', 'cutoff', 'split.cutoff: a split is either fraction and seed or a cutoff, not both')]);
  });

  it('names a schedule EventBridge would refuse', () => {
    expect(problemsOf('bad_schedule.yaml')).toEqual([
      at('bad_schedule.yaml', 'cron(', 'trigger.schedule: cron needs ? in exactly one of day-of-month and day-of-week (for example cron(0 3 * * ? *))'),
    ]);
    expect(problemsOf('bad_rate.yaml')).toEqual([at('bad_rate.yaml', 'rate(', 'trigger.schedule: a rate of 1 takes the singular unit: rate(1 hour)')]);
  });

  it('names a model whose Model Package Group name would be too long, or whose file is no model name', () => {
    const group = `acme-staging-marketing-${LONG_NAME.replaceAll('_', '-')}`;
    expect(problemsOf(`${LONG_NAME}.yaml`)).toEqual([
      `${LONG_NAME}.yaml:1:1: ML model 'marketing/${LONG_NAME}' in environment 'staging': its SageMaker Model Package Group name '${group}' would be 64 characters, over the limit of 63: shorten the model's file name`,
    ]);
    expect(problemsOf('Churn.yaml')).toEqual(["Churn.yaml:1:1: 'Churn' is not a model name: name the file in lowercase snake_case (a-z, 0-9 and _, starting with a letter)"]);
    expect(problemsOf('churn.yml')).toEqual(['churn.yml:1:1: ML model specs end in .yaml; this file is not read']);
  });

  it('names a model whose Model Package Group would be the same as another domain\'s model', () => {
    expect(problemsOf('eu_churn.yaml')).toEqual([]);
    expect(problemsOf('churn.yaml', 'marketing_eu').filter((problem) => problem.startsWith('churn.yaml:1:1:'))).toEqual([
      "churn.yaml:1:1: ML model 'marketing_eu/churn' would share the Model Package Group 'acme-dev-marketing-eu-churn' with 'marketing/eu_churn': rename one of them",
    ]);
  });
});
