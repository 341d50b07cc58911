/**
 * Where the cloud path meets the offline one: the app is synthesized here (lib/stacks) and its cloud
 * assembly handed to the offline runtime as data (lib/local), which never builds constructs itself.
 * lib/stacks, and with it aws-cdk-lib (seconds of imports), is loaded only when an assembly is
 * synthesized: a command that runs no state machine, or finds its assembly in the cache, never pays it.
 */
import type { Stage } from 'aws-cdk-lib';
import { AssemblyCache, projectAssemblyCacheDirectory } from '../local/assembly-cache/assembly-cache.ts';
import { type AssemblyInputs, assemblyVariables } from '../local/assembly-cache/assembly-key.ts';
import { cachedAssembly } from '../local/assembly-cache/cached-assembly.ts';
import { UnknownEnvironmentError } from '../local/local-environment.ts';
import {
  type AssemblyRequest,
  type EnvironmentOptions,
  environmentFromAssembly,
  openEnvironment,
  type SynthesizedEnvironment,
} from '../local/runtime/synthesized-environment.ts';
import { type AssemblyStack, readCloudAssembly } from '../local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../local/stepfunctions/definitions.ts';
import type { LakehouseApp } from '../stacks/create-lakehouse-app.ts';
import { APP_CODE, CODE_ROOT } from './app-code.ts';

/** Everything the request's synthesis depends on, in this process: what its assembly is cached under. */
export function projectAssemblyInputs(request: AssemblyRequest): AssemblyInputs {
  return { ...request, variables: assemblyVariables(process.env), codeRoot: CODE_ROOT, code: APP_CODE };
}

/**
 * The stacks of the request's environment, from the project's assembly cache
 * (`<projectRoot>/.lake/assemblies`) when its inputs are unchanged, else synthesized and stored.
 */
export async function projectAssembly(projectRoot: string, request: AssemblyRequest): Promise<{ stacks: AssemblyStack[]; hit: boolean }> {
  return cachedAssembly({
    cache: new AssemblyCache(projectAssemblyCacheDirectory(projectRoot)),
    inputs: projectAssemblyInputs(request),
    synthesizeInto: async (outdir) => {
      const { synthesizeAssembly } = await import('../stacks/synthesize-assembly.ts');
      return synthesizeAssembly(request.contractsRoot, request.environment, { outdir, context: request.context });
    },
  });
}

/**
 * The environment of `cdk.json` and the contracts under `projectRoot` (throwing `SettingsError`,
 * `ContractError` or `UnknownEnvironmentError`); its stacks are read from the assembly cache, or
 * synthesized, when a state machine is first needed.
 */
export function openOfflineEnvironment(options: Omit<EnvironmentOptions, 'synthesize'>): SynthesizedEnvironment {
  return openEnvironment({
    ...options,
    synthesize: async (request) => (await projectAssembly(options.projectRoot, request)).stacks,
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
    { catalog: lakehouse.catalog, modelCatalog: lakehouse.modelCatalog },
    async () => {
      const { synthesizeEnvironmentAssembly } = await import('../stacks/synthesize-assembly.ts');
      return readCloudAssembly(synthesizeEnvironmentAssembly(lakehouse, environment));
    },
  );
}

/** Every state machine of a Stage, synthesized and read as the offline runtime reads them. */
export function stageStateMachines(stage: Stage): SynthesizedStateMachine[] {
  return synthesizedStateMachines(readCloudAssembly(stage.synth().directory));
}
