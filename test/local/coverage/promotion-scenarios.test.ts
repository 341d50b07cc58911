/**
 * The promotion machine's coverage scenarios cover every state and transition of the synthesized
 * promotion machine (issue 11 item 3): on the churn fixture project, synthesized once, its feature
 * table seeded, each scenario runs once as the coverage run runs it (on flaky services), then the
 * coverage run's own `reachCatchers` takes every catcher no scenario took. Coverage is counted with
 * `StateCoverage` for the promotion machine only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import { promotionStateMachineName } from '../../../lib/config/names.ts';
import { CoverageRun, reachCatchers, type ScenarioExecution } from '../../../lib/local/coverage/scenarios/coverage-run.ts';
import { promotionScenarios } from '../../../lib/local/coverage/scenarios/promotion-scenarios.ts';
import { LocalPipelineRuntime } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { CHURN_SPEC, mlProject } from '../../ml/ml-project.ts';
import { churnFeatureDatabase, seedChurnFeatureTable } from '../ml/churn-feature-table.ts';

const identity = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const machineName = promotionStateMachineName(identity, 'marketing', 'churn');

let project: string;
let workspace: string;
let runtime: LocalPipelineRuntime;
let run: CoverageRun;

beforeAll(async () => {
  project = mlProject({ 'churn.yaml': CHURN_SPEC });
  workspace = mkdtempSync(join(tmpdir(), 'promotion-scenarios-'));
  const environment = openOfflineEnvironment({ projectRoot: project, environment: 'dev' });
  run = new CoverageRun(await environment.stateMachines());
  runtime = await LocalPipelineRuntime.start({ projectRoot: project, workspace, synthesized: environment, retryPauseMs: 0, waitPauseMs: 0, onExecution: run.onExecution });
  await seedChurnFeatureTable(runtime.lake, churnFeatureDatabase(identity));
}, 300_000);

afterAll(async () => {
  await runtime?.close();
  for (const folder of [workspace, project]) if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe('the promotion coverage scenarios', () => {
  it('go where they say, and with reachCatchers enter every state and take every transition of the promotion machine', async () => {
    const problems: string[] = [];
    const executions: ScenarioExecution[] = [];
    const scenarios = await promotionScenarios({ runtime });
    expect(scenarios.map((scenario) => scenario.machine)).toEqual(Array(4).fill(machineName));
    for (const scenario of scenarios) {
      const started = Date.now();
      const outcome = await run.execute(scenario, []);
      if (outcome === undefined) continue;
      problems.push(...outcome.problems.map((problem) => `${scenario.name}: ${problem}`));
      executions.push({ scenario, faults: [], visited: outcome.visited, took: Date.now() - started });
    }
    await reachCatchers(run, run.machine(machineName), executions, () => undefined);
    expect([...problems, ...run.problems]).toEqual([]);
    const coverage = run.coverage.report().machines.find((machine) => machine.name === machineName)!;
    expect(coverage.states.missing).toEqual([]);
    expect(coverage.transitions.missing).toEqual([]);
    expect(coverage.states.visited).toBe(coverage.states.total);
  }, 300_000);
});
