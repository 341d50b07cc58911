/**
 * `lakehouse build`'s service: the shipped contracts' build state machine, synthesized with the
 * app, run by the same engine and stand-ins as a pipeline, on a delivery a real pipeline loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStateMachineName } from '../../../lib/config/names.ts';
import { BUILD_STATES } from '../../../lib/pipeline/build-states.ts';
import { SelectorError } from '../../../lib/transforms/select-models.ts';
import { heldLocks, type RuntimeFixture, sample, SAMPLE_INGEST_TIME, startRuntime } from './helpers.ts';

let fixture: RuntimeFixture;

beforeAll(async () => {
  fixture = await startRuntime();
  const loaded = await fixture.runtime.run('sales/orders', sample('sales', 'orders.csv'), { ingestTime: SAMPLE_INGEST_TIME });
  expect(loaded.status).toBe('SUCCEEDED');
}, 240_000);

afterAll(async () => {
  await fixture.close();
});

describe('BuildService', () => {
  it("runs the selected domain's synthesized build under its lock and publishes the selected model", async () => {
    const [run, ...others] = await fixture.runtime.build('sales/daily_revenue');
    expect(others).toEqual([]);
    expect(run).toMatchObject({ domain: 'sales', stateMachine: buildStateMachineName(fixture.runtime.environment.identity, 'sales'), status: 'SUCCEEDED' });
    expect(run!.visitedStates).toEqual(expect.arrayContaining([BUILD_STATES.acquireLock, 'sales-daily_revenue-publish', BUILD_STATES.releaseLock, BUILD_STATES.built]));
    expect(heldLocks(fixture.runtime)).toEqual([]);
    const [model] = run!.models;
    expect(model).toMatchObject({ model: 'sales/daily_revenue', materialized: 'incremental', status: 'published' });
    expect(model!.rows).toBeGreaterThan(0);
    expect(model!.snapshotId).toBe(fixture.runtime.lake.currentSnapshot('acme_dev_sales', 'daily_revenue').snapshotId);
    expect(model!.tests.every((test) => test.passed)).toBe(true);
  });

  it("runs every domain's full build without a selector; a model whose input was never loaded is an error naming it", async () => {
    const runs = new Map((await fixture.runtime.build()).map((run) => [run.domain, run]));
    expect([...runs.keys()].sort()).toEqual(['marketing', 'sales']);
    expect(runs.get('sales')!.status).toBe('SUCCEEDED');
    expect([runs.get('marketing')!.status, runs.get('marketing')!.error]).toEqual(['FAILED', 'Build.ModelsFailed']);
    const summary = runs.get('marketing')!.models.find((model) => model.model === 'marketing/campaign_summary');
    expect(summary).toMatchObject({ status: 'error' });
    expect(summary!.message).toContain('input marketing/campaigns has no table "acme_dev_marketing"."campaigns" in the lake yet: load it first (lakehouse run)');
    expect(heldLocks(fixture.runtime)).toEqual([]);
  });

  it('refuses a selector that names no model before any execution', async () => {
    await expect(fixture.runtime.build('sales/daily_revenu')).rejects.toThrow(SelectorError);
  });
});
