/**
 * Where the cloud path meets the offline one: the app is synthesized here (lib/stacks) and its cloud
 * assembly handed to the offline runtime as data (lib/local), which never builds constructs itself.
 * Importing this module loads aws-cdk-lib, seconds a command that runs no state machine should not pay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stage } from 'aws-cdk-lib';
import { UnknownEnvironmentError } from '../local/local-environment.ts';
import {
  type EnvironmentOptions,
  environmentFromAssembly,
  openEnvironment,
  type SynthesizedEnvironment,
} from '../local/runtime/synthesized-environment.ts';
import { readCloudAssembly } from '../local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../local/stepfunctions/definitions.ts';
import type { LakehouseApp } from '../stacks/create-lakehouse-app.ts';
import { synthesizeAssembly, synthesizeEnvironmentAssembly } from '../stacks/synthesize-assembly.ts';

/**
 * The environment of `cdk.json` and the contracts under `projectRoot` (throwing `SettingsError`,
 * `ContractError` or `UnknownEnvironmentError`); its app is synthesized into a temporary folder
 * when a state machine is first needed, read, and the folder removed.
 */
export function openOfflineEnvironment(options: Omit<EnvironmentOptions, 'synthesize'>): SynthesizedEnvironment {
  return openEnvironment({
    ...options,
    synthesize: async ({ contractsRoot, context, environment }) => {
      const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-synth-'));
      try {
        return readCloudAssembly(await synthesizeAssembly(contractsRoot, environment, { outdir, context }));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
  });
}

/** The environment's part of an app already built (the demo builds one to print what it deploys). */
export function offlineEnvironmentOf(lakehouse: LakehouseApp, environment: string): SynthesizedEnvironment {
  const settings = lakehouse.settings.environments.find((candidate) => candidate.name === environment);
  if (settings === undefined) {
    throw new UnknownEnvironmentError(environment, lakehouse.settings.environments.map((candidate) => candidate.name));
  }
  return environmentFromAssembly(
    { organization: lakehouse.settings.organization, environment: settings.name, account: settings.account, region: settings.region },
    lakehouse.catalog,
    async () => readCloudAssembly(synthesizeEnvironmentAssembly(lakehouse, environment)),
  );
}

/** Every state machine of a Stage, synthesized and read as the offline runtime reads them. */
export function stageStateMachines(stage: Stage): SynthesizedStateMachine[] {
  return synthesizedStateMachines(readCloudAssembly(stage.synth().directory));
}
