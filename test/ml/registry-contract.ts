/**
 * What every ModelRegistry must do, run against each implementation: the local one on real files,
 * the SageMaker one through its SDK client over an in-memory SageMaker.
 */
import { describe, expect, it } from 'vitest';
import type { ModelApproval } from '../../lib/config/settings.ts';
import { ModelVersionNotFoundError, type ModelRegistry, type RegisterModelVersion } from '../../lib/ml/model-registry.ts';

export function registration(group: string, runId: string, approval: ModelApproval = 'manual', auc = 0.87): RegisterModelVersion {
  return {
    group,
    approval,
    metrics: { 'validation:auc': auc, 'validation:logloss': 0.41 },
    metricsDocument: `s3://acme-dev-audit/ml/runs/${runId}/metrics.json`,
    artifact: `s3://acme-dev-audit/ml/runs/${runId}/model.tar.gz`,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    lineage: {
      runId,
      featureSnapshots: { 'marketing/churn_features': '8123456789012345678', 'sales/orders': '42' },
      contractVersions: { 'sales/orders': '1.3.0', 'marketing/web_events': '2.0.1' },
      gitRevision: 'f48cc6c',
      trainingSet: `s3://acme-dev-audit/ml/runs/${runId}/training-set/`,
    },
  };
}

export function describeRegistryContract(name: string, open: () => Promise<ModelRegistry>): void {
  describe(`${name}: the ModelRegistry contract`, () => {
    it('numbers versions 1, 2, 3 per group and keeps what was registered', async () => {
      const registry = await open();
      const first = await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
      const second = await registry.register(registration('acme-dev-marketing-churn', 'run-2', 'auto', 0.9));
      const other = await registry.register(registration('acme-dev-sales-repeat', 'run-3'));
      expect([first.version, second.version, other.version]).toEqual([1, 2, 1]);
      expect(first).toMatchObject({ group: 'acme-dev-marketing-churn', status: 'Completed', approval: 'PendingManualApproval' });
      expect(second.approval).toBe('Approved');
      expect(second.metrics).toEqual({ 'validation:auc': 0.9, 'validation:logloss': 0.41 });
      const expected = registration('acme-dev-marketing-churn', 'run-2');
      expect(second.lineage).toEqual(expected.lineage);
      expect([second.artifact, second.image, second.metricsDocument]).toEqual([expected.artifact, expected.image, expected.metricsDocument]);
      expect(Date.parse(second.createdAt)).not.toBeNaN();
      expect(await registry.describeVersion('acme-dev-marketing-churn', 2)).toEqual(second);
      expect((await registry.listVersions('acme-dev-marketing-churn')).map((version) => version.lineage.runId)).toEqual(['run-1', 'run-2']);
      expect(await registry.listVersions('acme-dev-nothing-yet')).toEqual([]);
    });

    it('registers a run once: the same run id returns the same version', async () => {
      const registry = await open();
      const first = await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
      const again = await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
      expect(again).toEqual(first);
      expect(await registry.listVersions('acme-dev-marketing-churn')).toHaveLength(1);
    });

    it('changes approval with its description, and the latest approved version follows', async () => {
      const registry = await open();
      for (const runId of ['run-1', 'run-2', 'run-3']) await registry.register(registration('acme-dev-marketing-churn', runId));
      expect(await registry.latestApproved('acme-dev-marketing-churn')).toBeUndefined();
      await registry.updateApproval('acme-dev-marketing-churn', 1, 'Approved', 'first review');
      const approved = await registry.updateApproval('acme-dev-marketing-churn', 2, 'Approved', 'better AUC');
      expect(approved).toMatchObject({ version: 2, approval: 'Approved', approvalDescription: 'better AUC' });
      expect((await registry.latestApproved('acme-dev-marketing-churn'))?.version).toBe(2);
      await registry.updateApproval('acme-dev-marketing-churn', 2, 'Rejected', 'drift found');
      expect((await registry.describeVersion('acme-dev-marketing-churn', 2)).approval).toBe('Rejected');
      expect((await registry.latestApproved('acme-dev-marketing-churn'))?.version).toBe(1);
    });

    it('names a version the group does not have', async () => {
      const registry = await open();
      await registry.register(registration('acme-dev-marketing-churn', 'run-1'));
      await expect(registry.describeVersion('acme-dev-marketing-churn', 7)).rejects.toThrow(ModelVersionNotFoundError);
      await expect(registry.updateApproval('acme-dev-marketing-churn', 7, 'Approved', 'x')).rejects.toThrow(/has no version 7/);
    });

    it("refuses metadata SageMaker would refuse, naming the entry, and registers nothing", async () => {
      const registry = await open();
      const bad = registration('acme-dev-marketing-churn', 'run-1');
      const tooLong = { ...bad, lineage: { ...bad.lineage, trainingSet: `s3://b/${'x'.repeat(260)}` } };
      await expect(registry.register(tooLong)).rejects.toThrow(/'training-set': the value has 267 characters; SageMaker takes 1 to 256/);
      const comma = { ...bad, lineage: { ...bad.lineage, contractVersions: { 'sales/orders': '1.3.0,2.0.0' } } };
      await expect(registry.register(comma)).rejects.toThrow(/'contract:sales\/orders': the value holds ','/);
      const notAToken = { ...bad, lineage: { ...bad.lineage, runId: 'run 1' } };
      await expect(registry.register(notAToken)).rejects.toThrow(/run id 'run 1' cannot be SageMaker's ClientToken/);
      expect(await registry.listVersions('acme-dev-marketing-churn')).toEqual([]);
    });
  });
}
