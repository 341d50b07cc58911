/**
 * An ML model's tables in its domain's database (lib/ml/ml-model-tables.ts) named by nothing else
 * of the domain: a transform model or dataset already owning ml_runs or <model>_predictions is a
 * problem at the spec, found when the specs are checked, not a table shared at deploy.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { checkMlModels } from '../../lib/ml/load.ts';
import { mlModelTableNames } from '../../lib/ml/ml-model-tables.ts';
import { CHURN_SPEC, mlProject } from './ml-project.ts';

describe("an ML model's tables", () => {
  it("are the domain's ml_runs and the model's run records, predictions and inference output", () => {
    expect(mlModelTableNames('churn')).toEqual(['ml_runs', 'churn_run_records', 'churn_predictions', 'churn_inference_output']);
  });

  it('are refused, at the spec, when a transform model or a dataset of the domain already names one', async () => {
    // A dataset churn_predictions (a copy of campaigns) takes churn's predictions table; a view
    // named ml_runs takes the run tracking table of every ML model of the domain.
    const dir = mlProject({ 'churn.yaml': CHURN_SPEC });
    const transforms = join(dir, 'contracts/marketing/transforms');
    cpSync(join(transforms, 'campaign_summary.sql'), join(transforms, 'ml_runs.sql'));
    const contract = join(dir, 'contracts/marketing/campaigns.yaml');
    writeFileSync(join(dir, 'contracts/marketing/churn_predictions.yaml'), readFileSync(contract, 'utf8').replaceAll(/\bcampaigns\b/g, 'churn_predictions'));
    const result = await checkMlModels(loadCatalog(join(dir, 'contracts')), () => ({ organization: 'acme', environments: [{ name: 'dev' }] }));
    expect(result.models).toBeUndefined();
    const spec = join(dir, 'contracts/marketing/ml/churn.yaml');
    expect(result.problems.filter((problem) => problem.file === spec).map((problem) => formatProblem({ ...problem, file: 'churn.yaml' }))).toEqual([
      "churn.yaml:1:1: ML model 'marketing/churn' needs the table 'churn_predictions' in its domain's database, which dataset 'marketing/churn_predictions' already names: rename one of them",
      `churn.yaml:1:1: ML model 'marketing/churn' needs the table 'ml_runs' in its domain's database, which transform model 'marketing/ml_runs' (${join(transforms, 'ml_runs.sql')}) already names: rename one of them`,
    ]);
  });

  it("have their lineage job refused, at the spec, when a dataset's pipeline or a transform model of the domain already has it", async () => {
    // campaigns is a dataset's silver table, campaign_summary a transform model: each is a job of marketing's lineage.
    const dir = mlProject({ 'campaigns.yaml': CHURN_SPEC, 'campaign_summary.yaml': CHURN_SPEC, 'churn.yaml': CHURN_SPEC });
    const result = await checkMlModels(loadCatalog(join(dir, 'contracts')), () => ({ organization: 'acme', environments: [{ name: 'dev' }] }));
    expect(result.models).toBeUndefined();
    const specs = join(dir, 'contracts/marketing/ml');
    expect(result.problems.map((problem) => formatProblem({ ...problem, file: problem.file.replace(`${specs}/`, '') }))).toEqual([
      `campaign_summary.yaml:1:1: ML model 'marketing/campaign_summary' writes its lineage as job 'marketing.campaign_summary' under lineage/marketing/campaign_summary/, which transform model 'marketing/campaign_summary' (${join(dir, 'contracts/marketing/transforms/campaign_summary.sql')}) already does: rename one of them`,
      "campaigns.yaml:1:1: ML model 'marketing/campaigns' writes its lineage as job 'marketing.campaigns' under lineage/marketing/campaigns/, which the pipeline of dataset 'marketing/campaigns' already does: rename one of them",
    ]);
  });
});
