/**
 * `lakehouse models list` and `models approve`, in process, on a temporary project with two ML
 * model specs and versions registered through the real local registry, in the workspace the
 * commands read by default (`.lake/` of the project). Its feature table was never built, so each
 * approval's promotion fails (test/local/ml/promotion-service.test.ts promotes for real).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentUser } from '../../lib/cli/current-user.ts';
import { LocalModelRegistry } from '../../lib/local/ml/local-registry.ts';
import { CHURN_SPEC, mlProject } from '../ml/ml-project.ts';
import { registration } from '../ml/registry-contract.ts';
import { runLakehouseInProcess } from './run-cli-in-process.ts';

// cdk.json's dev environment: the registry names its versions in that account and region.
const DEV = { account: '111111111111', region: 'eu-west-1' };
const CHURN = 'acme-dev-marketing-churn';
const arn = (version: number) => `arn:aws:sagemaker:eu-west-1:111111111111:model-package/${CHURN}/${version}`;

let dir: string;
let registry: LocalModelRegistry;
const models = (...args: string[]) => runLakehouseInProcess(['models', ...args], { cwd: dir });
const eventsLog = () => join(dir, '.lake', 'events.log');
const events = () => (existsSync(eventsLog()) ? readFileSync(eventsLog(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) : []);

beforeAll(async () => {
  dir = mlProject({ 'churn.yaml': CHURN_SPEC, 'churn_eu.yaml': CHURN_SPEC });
  registry = new LocalModelRegistry({ workspace: join(dir, '.lake'), ...DEV, now: () => new Date('2026-11-21T06:00:00Z') });
  await registry.register(registration(CHURN, 'run-1'));
  await registry.register(registration(CHURN, 'run-2', 'manual', 0.9));
  await registry.register(registration(CHURN, 'run-3', 'manual', 0.7));
  await registry.updateApproval(CHURN, 3, 'Rejected', 'AUC below the bar');
});

describe('lakehouse models list', () => {
  it('shows every version newest first, and a model without one as such', async () => {
    const result = await models('list');
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+VERSION\s+STATUS\s+APPROVAL\s+METRICS\s+RUN\s+CREATED$/);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^marketing\/churn\s+3\s+Completed\s+Rejected\s+validation:auc=0\.7 validation:logloss=0\.41\s+run-3\s+2026-11-21T06:00:00\.000Z$/),
      expect.stringMatching(/^marketing\/churn\s+2\s+Completed\s+PendingManualApproval\s+validation:auc=0\.9 validation:logloss=0\.41\s+run-2\s+2026-11-21T06:00:00\.000Z$/),
      expect.stringMatching(/^marketing\/churn\s+1\s+Completed\s+PendingManualApproval\s+validation:auc=0\.87 validation:logloss=0\.41\s+run-1\s+/),
      expect.stringMatching(/^marketing\/churn_eu\s+-\s+no version registered yet$/),
    ]);
  });

  it('gives one JSON element per version, and a model without one with null fields', async () => {
    const result = await models('list', '--json');
    expect(result.status).toBe(0);
    const created = '2026-11-21T06:00:00.000Z';
    expect(JSON.parse(result.stdout)).toEqual([
      { model: 'marketing/churn', version: 3, status: 'Completed', approval: 'Rejected', metrics: { 'validation:auc': 0.7, 'validation:logloss': 0.41 }, runId: 'run-3', createdAt: created },
      { model: 'marketing/churn', version: 2, status: 'Completed', approval: 'PendingManualApproval', metrics: { 'validation:auc': 0.9, 'validation:logloss': 0.41 }, runId: 'run-2', createdAt: created },
      { model: 'marketing/churn', version: 1, status: 'Completed', approval: 'PendingManualApproval', metrics: { 'validation:auc': 0.87, 'validation:logloss': 0.41 }, runId: 'run-1', createdAt: created },
      { model: 'marketing/churn_eu', version: null, status: null, approval: null, metrics: null, runId: null, createdAt: null },
    ]);
  });

  it("reads the chosen environment's groups and workspace; an unknown environment is a usage error", async () => {
    const staging = await models('list', '--env', 'staging', '--json');
    expect(JSON.parse(staging.stdout).map((entry: { version: unknown }) => entry.version)).toEqual([null, null]);
    const elsewhere = await models('list', '--json', '--lake', join(dir, 'other-lake'));
    expect(JSON.parse(elsewhere.stdout).map((entry: { version: unknown }) => entry.version)).toEqual([null, null]);
    const unknown = await models('list', '--env', 'stagin');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no environment 'stagin' in cdk\.json; did you mean 'staging'\? \(it has: dev, staging, prod\)/);
  });

  it('says so when no domain has a spec, and approve names where specs live', async () => {
    const bare = mlProject({});
    const list = await runLakehouseInProcess(['models', 'list', '--json'], { cwd: bare });
    expect([list.status, JSON.parse(list.stdout)]).toEqual([0, []]);
    expect((await runLakehouseInProcess(['models', 'list'], { cwd: bare })).stderr).toMatch(/^no ML models in the contracts/);
    const approve = await runLakehouseInProcess(['models', 'approve', 'marketing/churn', '1'], { cwd: bare });
    expect(approve.status).toBe(2);
    expect(approve.stderr).toMatch(/no ML model 'marketing\/churn' in the contracts: no domain has a spec \(contracts\/<domain>\/ml\/<model>\.yaml\)/);
  });

  it('stops with exit 2 naming a damaged registry file and its field', async () => {
    const lake = join(dir, 'damaged-lake');
    await new LocalModelRegistry({ workspace: lake, ...DEV }).register(registration(CHURN, 'run-1'));
    const file = join(lake, 'ml', 'registry', CHURN, 'versions', '1.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), approval: 'Maybe' }));
    const result = await models('list', '--lake', lake);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: field 'approval' is missing or wrong for version 1 of '${CHURN}'`);
  });
});

describe('lakehouse models approve', () => {
  it('approves a pending version, saying who and why, records the state change event and reports the promotion it started', async () => {
    const result = await models('approve', 'marketing/churn', '2', '--reason', 'AUC 0.90 on the holdout');
    // Approved, but the promotion the event started found no feature data: exit 1, saying so.
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/promotion\s+FAILED: Promotion\.Failed/);
    expect(result.stdout).toMatch(/states\s+PreparePromotion → .* → NoFeatureData → AlertPromotionFailed → PromotionFailed/);
    const description = `Approved by ${currentUser()}: AUC 0.90 on the holdout`;
    expect(result.stdout).toContain('marketing/churn version 2: Approved (was PendingManualApproval)');
    expect(result.stdout).toContain(description);
    expect(result.stdout).toMatch(/event\s+SageMaker Model Package State Change, in \.lake\/events\.log/);
    expect(await registry.describeVersion(CHURN, 2)).toMatchObject({ approval: 'Approved', approvalDescription: description });
    expect((await registry.describeVersion(CHURN, 1)).approval).toBe('PendingManualApproval');
    expect(events()).toEqual([
      {
        time: expect.any(String),
        id: expect.any(String),
        source: 'aws.sagemaker',
        detailType: 'SageMaker Model Package State Change',
        eventBusName: 'default',
        detail: { ModelPackageGroupName: CHURN, ModelPackageVersion: 2, ModelPackageArn: arn(2), ModelPackageStatus: 'Completed', ModelApprovalStatus: 'Approved' },
      },
    ]);
  });

  it('approving an approved version again changes nothing and exits 0', async () => {
    const before = readFileSync(join(dir, '.lake', 'ml', 'registry', CHURN, 'versions', '2.json'), 'utf8');
    const text = await models('approve', 'marketing/churn', '2', '--reason', 'once more');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^marketing\/churn version 2: already Approved \(Approved by .+: AUC 0\.90 on the holdout\); nothing changed$/m);
    const json = await models('approve', 'marketing/churn', '2', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ model: 'marketing/churn', version: 2, previousApproval: 'Approved', approval: 'Approved', changed: false });
    expect(readFileSync(join(dir, '.lake', 'ml', 'registry', CHURN, 'versions', '2.json'), 'utf8')).toBe(before);
    expect(events()).toHaveLength(1);
  });

  it('approves a rejected version, as SageMaker allows', async () => {
    const result = await models('approve', 'marketing/churn', '3', '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      model: 'marketing/churn',
      version: 3,
      arn: arn(3),
      previousApproval: 'Rejected',
      approval: 'Approved',
      approvalDescription: `Approved by ${currentUser()}`,
      changed: true,
      promotion: {
        stateMachine: 'acme-dev-marketing-churn-promotion',
        executionArn: expect.stringContaining(':execution:acme-dev-marketing-churn-promotion:'),
        status: 'FAILED',
        error: 'Promotion.Failed',
        cause: expect.any(String),
        states: expect.arrayContaining([expect.objectContaining({ state: 'NoFeatureData' })]),
        predictions: { table: 'acme_dev_marketing.churn_predictions', rows: 0 },
      },
    });
    expect(events().map((event) => (event['detail'] as { ModelPackageVersion: number }).ModelPackageVersion)).toEqual([2, 3]);
  });

  it('exits 2 for an unknown model with a did-you-mean, 1 for an unknown version naming those that exist', async () => {
    const model = await models('approve', 'marketing/chrun', '1');
    expect(model.status).toBe(2);
    expect(model.stderr).toMatch(/no ML model 'marketing\/chrun' in the contracts; did you mean 'marketing\/churn'\? \(ML models: marketing\/churn, marketing\/churn_eu\)/);
    const version = await models('approve', 'marketing/churn', '9');
    expect(version.status).toBe(1);
    expect(version.stderr).toMatch(/marketing\/churn has no version 9 in environment dev \(versions: 1, 2, 3\); nothing was approved/);
    const none = await models('approve', 'marketing/churn_eu', '1');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/marketing\/churn_eu has no version 1 in environment dev \(no version is registered yet\)/);
    for (const args of [['marketing/churn', 'two'], ['marketing/churn', '0'], ['marketing/churn'], ['churn', '1']]) {
      expect((await models('approve', ...args)).status).toBe(2);
    }
    expect((await registry.describeVersion(CHURN, 1)).approval).toBe('PendingManualApproval');
    expect(events()).toHaveLength(2);
  });

  it('refuses a reason longer than SageMaker keeps, before anything changes', async () => {
    const result = await models('approve', 'marketing/churn', '1', '--reason', 'x'.repeat(1024));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--reason is too long: .* over SageMaker's 1024/);
    expect((await registry.describeVersion(CHURN, 1)).approval).toBe('PendingManualApproval');
  });
});
