/**
 * 100% of the states and transitions of every state machine the dev stage synthesizes (each
 * dataset's pipeline, each domain's maintenance and build, each ML model's training and promotion), enforced: the scenarios
 * `npm run coverage:states` runs, run here in the test process (lib/local/coverage/scenarios).
 * Each scenario also checks where its run went, so a transition whose handling breaks (say, the
 * Catch that sends a lost lock take-over race back to waiting) fails here even when every
 * remaining transition is still taken.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStateMachineName, maintenanceStateMachineName, pipelineStateMachineName, promotionStateMachineName, trainingStateMachineName } from '../../lib/config/names.ts';
import { openOfflineEnvironment } from '../../lib/cli/offline-environment.ts';
import { coverageShortfalls } from '../../lib/cli/state-coverage-shortfalls.ts';
import { COVERED_ENVIRONMENT, runStateCoverage } from '../../lib/cli/state-coverage-run.ts';
import type { CoverageRunResult } from '../../lib/local/coverage/scenarios/coverage-run.ts';
import { environmentMlModels } from '../../lib/local/ml/environment-models.ts';
import { repoRoot } from './runtime/helpers.ts';

let result: CoverageRunResult;

beforeAll(async () => {
  result = await runStateCoverage(repoRoot);
}, 300_000);

describe(`state coverage of the ${COVERED_ENVIRONMENT} stage`, () => {
  it('counts exactly the state machines its assembly holds: a pipeline per dataset, a maintenance and a build per domain, a training and a promotion per ML model', async () => {
    const environment = openOfflineEnvironment({ projectRoot: repoRoot, environment: COVERED_ENVIRONMENT });
    const synthesized = (await environment.stateMachines()).map((machine) => machine.name).sort();
    expect(result.report.machines.map((machine) => machine.name)).toEqual(synthesized);
    const { identity, catalog } = environment;
    expect(synthesized).toEqual(
      [
        ...catalog.domains.flatMap((domain) => domain.datasets).map((dataset) => pipelineStateMachineName(identity, dataset)),
        ...catalog.domains.flatMap((domain) => [maintenanceStateMachineName(identity, domain.name), buildStateMachineName(identity, domain.name)]),
        ...(await environmentMlModels(environment)).flatMap((model) => [trainingStateMachineName(identity, model.domain, model.name), promotionStateMachineName(identity, model.domain, model.name)]),
      ].sort(),
    );
  });

  it('ran every scenario where it says, and counted every execution on a definition equal to the shipped one', () => {
    expect(result.problems).toEqual([]);
  });

  it('entered every state and took every transition of every machine', () => {
    expect(coverageShortfalls(result.report)).toEqual([]);
    for (const machine of result.report.machines) {
      expect(machine.states.visited, machine.name).toBe(machine.states.total);
      expect(machine.transitions.taken, machine.name).toBe(machine.transitions.total);
    }
  });
});
