/**
 * `npm run coverage:states` and its test run the same thing: every coverage scenario of the dev
 * stage in a fresh temporary workspace (never the project's `.lake`), on the app synthesized from
 * the shipped contracts (counted) and from the scenarios' copy of them (run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoverageRunResult, runCoverageScenarios } from '../local/coverage/scenarios/coverage-run.ts';
import { writeEveryPathContracts } from '../local/coverage/scenarios/every-path-contracts.ts';
import { openOfflineEnvironment } from './offline-environment.ts';

/** The stage whose state machines are counted: the one a developer deploys first. */
export const COVERED_ENVIRONMENT = 'dev';

export async function runStateCoverage(projectRoot: string, log?: (line: string) => void): Promise<CoverageRunResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'state-coverage-'));
  try {
    const contractsRoot = join(projectRoot, 'contracts');
    const scenarioContracts = join(scratch, 'contracts');
    writeEveryPathContracts(contractsRoot, scenarioContracts);
    return await runCoverageScenarios({
      projectRoot,
      contractsRoot,
      shipped: openOfflineEnvironment({ projectRoot, environment: COVERED_ENVIRONMENT }),
      scenarios: openOfflineEnvironment({ projectRoot, environment: COVERED_ENVIRONMENT, contractsRoot: scenarioContracts }),
      workspace: join(scratch, 'workspace'),
      ...(log === undefined ? {} : { log }),
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
