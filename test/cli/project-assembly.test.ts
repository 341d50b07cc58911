/**
 * The assembly cache on the shipped app: one real synthesis of the dev Stage (the miss), then the
 * same stacks read back without one (the hit). Key changes and storage are tested without the CDK
 * in test/local/assembly-cache.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectAssembly } from '../../lib/cli/offline-environment.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import { buildStateMachineName } from '../../lib/config/names.ts';
import { readSettings } from '../../lib/config/settings.ts';
import { projectAssemblyCacheDirectory } from '../../lib/local/assembly-cache/assembly-cache.ts';
import { synthesizedStateMachines } from '../../lib/local/stepfunctions/definitions.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** A project folder of its own, so the repository's cache neither answers nor keeps this test's entry. */
const projectRoot = mkdtempSync(join(tmpdir(), 'project-assembly-'));
const request = { contractsRoot: join(repoRoot, 'contracts'), context: readCdkJsonContext(join(repoRoot, 'cdk.json')), environment: 'dev' };

afterAll(() => {
  rmSync(projectRoot, { recursive: true, force: true });
});

describe('projectAssembly', () => {
  it("synthesizes the environment once, then reads the same stacks from <projectRoot>/.lake/assemblies", async () => {
    const synthesized = await projectAssembly(projectRoot, request);
    expect(synthesized.hit).toBe(false);
    expect(readdirSync(projectAssemblyCacheDirectory(projectRoot))).toHaveLength(1);

    const cached = await projectAssembly(projectRoot, request);
    expect(cached.hit).toBe(true);
    expect(cached.stacks).toEqual(synthesized.stacks);
    const machines = synthesizedStateMachines(cached.stacks);
    // The app with builds (issue 10 item 1), as cdk synth builds it.
    const settings = readSettings(request.context);
    const dev = settings.environments.find((environment) => environment.name === 'dev')!;
    const identity = { organization: settings.organization, environment: dev.name, account: dev.account, region: dev.region };
    expect(machines.map((machine) => machine.name)).toContain(buildStateMachineName(identity, 'sales'));
    expect(machines).toEqual(synthesizedStateMachines(synthesized.stacks));
  });
});
