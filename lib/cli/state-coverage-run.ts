/**
 * `npm run coverage:states` and its test run the same thing: every coverage scenario of the dev
 * stage in a fresh temporary workspace (never the project's `.lake` tables), on the app
 * synthesized from the shipped contracts (counted) and from the scenarios' copy of them (run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CoverageRunResult, runCoverageScenarios } from '../local/coverage/scenarios/coverage-run.ts';
import { writeEveryPathContracts } from '../local/coverage/scenarios/every-path-contracts.ts';
import { DEFAULT_WORKSPACE } from '../local/workspace.ts';
import { openOfflineEnvironment } from './offline-environment.ts';

/** The stage whose state machines are counted: the one a developer deploys first. */
export const COVERED_ENVIRONMENT = 'dev';

/**
 * Writes the scenarios' copy of the project's contracts and returns its folder. The folder is
 * always the same one, `<projectRoot>/.lake/coverage/contracts`, and a file is rewritten only when
 * it changed: the assembly cache's key hashes the contracts folder's path and bytes, so an
 * unchanged project finds its scenarios' assembly in the cache. Two runs at once write the same
 * bytes, each file renamed into place whole.
 */
export function writeScenarioContracts(projectRoot: string): string {
  const coverage = join(projectRoot, DEFAULT_WORKSPACE, 'coverage');
  const contracts = join(coverage, 'contracts');
  writeEveryPathContracts(join(projectRoot, 'contracts'), contracts, join(coverage, 'staging'));
  return contracts;
}

export async function runStateCoverage(projectRoot: string, log?: (line: string) => void): Promise<CoverageRunResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'state-coverage-'));
  try {
    const scenarioContracts = writeScenarioContracts(projectRoot);
    return await runCoverageScenarios({
      projectRoot,
      contractsRoot: join(projectRoot, 'contracts'),
      shipped: openOfflineEnvironment({ projectRoot, environment: COVERED_ENVIRONMENT }),
      scenarios: openOfflineEnvironment({ projectRoot, environment: COVERED_ENVIRONMENT, contractsRoot: scenarioContracts }),
      workspace: join(scratch, 'workspace'),
      ...(log === undefined ? {} : { log }),
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
