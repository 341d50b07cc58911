/**
 * One environment of the app as the offline runtime needs it: its names, its contracts and the
 * state machine definitions CDK synthesized for it (DESIGN.md "Definitions from the app"), never a
 * hand-written copy. The runtime takes the synthesized cloud assembly as data from its caller, which
 * may build CDK apps (lib/cli), so nothing here depends on constructs. Synthesizing costs seconds,
 * so it waits until a state machine is needed (listing the quarantine needs none) and then happens
 * once per process and contracts folder.
 */
import { join, resolve } from 'node:path';
import { readCdkJsonContext } from '../../config/cdk-json.ts';
import type { EnvironmentIdentity } from '../../config/names.ts';
import { readSettings } from '../../config/settings.ts';
import { loadCatalog } from '../../contracts/load.ts';
import type { Catalog, Dataset } from '../../contracts/model.ts';
import { UnknownEnvironmentError } from '../local-environment.ts';
import type { AssemblyStack } from '../stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import { synthesizedFunctionEnvironment } from '../stepfunctions/synthesized-functions.ts';
import { synthesizedResources, type SynthesizedResource } from '../stepfunctions/synthesized-resources.ts';
import { UnknownDatasetError } from './runtime-errors.ts';

export interface SynthesizedEnvironment {
  readonly identity: EnvironmentIdentity;
  /** The domains the app deploys: only these have stacks, pipelines, builds and maintenance. */
  readonly catalog: Catalog;
  /**
   * Every domain, even when `cdk.json`'s `domains` selects some: the app compiles models over
   * these, since a selected domain's models may read the others' tables.
   */
  readonly modelCatalog: Catalog;
  /** The environment's state machines as CDK synthesized them; the first call synthesizes. */
  readonly stateMachines: () => Promise<readonly SynthesizedStateMachine[]>;
  /**
   * The environment variables of the function CDK named `name`, as deployed (a local stand-in of
   * a Lambda runs with them); undefined when the app has no such function.
   */
  readonly functionEnvironment: (name: string) => Promise<Record<string, string> | undefined>;
  /** The resources of a CloudFormation type (`AWS::Events::Rule`), as deployed: what a stand-in of their service reads. */
  readonly resources: (type: string) => Promise<readonly SynthesizedResource[]>;
}

export interface AssemblyRequest {
  readonly contractsRoot: string;
  /** `cdk.json`'s context. */
  readonly context: Record<string, unknown>;
  readonly environment: string;
}

/** Synthesizes the app the request describes and returns the environment's stacks (`readCloudAssembly`). */
export type SynthesizeAssembly = (request: AssemblyRequest) => Promise<readonly AssemblyStack[]>;

/** `compute` once, on the first call; a failure is not remembered, so the next call tries again. */
function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= compute().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** An environment whose cloud assembly `assembly` gives, asked for on first use only. */
export function environmentFromAssembly(
  identity: EnvironmentIdentity,
  catalogs: Pick<SynthesizedEnvironment, 'catalog' | 'modelCatalog'>,
  assembly: () => Promise<readonly AssemblyStack[]>,
): SynthesizedEnvironment {
  return { identity, ...catalogs, ...synthesizedParts(once(assembly)) };
}

type SynthesizedParts = Pick<SynthesizedEnvironment, 'stateMachines' | 'functionEnvironment' | 'resources'>;

/** What the environment reads from its assembly, which `stacks` gives once. */
function synthesizedParts(stacks: () => Promise<readonly AssemblyStack[]>): SynthesizedParts {
  return {
    stateMachines: once(async () => synthesizedStateMachines(await stacks())),
    functionEnvironment: async (name) => synthesizedFunctionEnvironment(await stacks(), name),
    resources: async (type) => synthesizedResources(await stacks(), type),
  };
}

export interface EnvironmentOptions {
  /** The folder holding `cdk.json`. */
  readonly projectRoot: string;
  /** @default `<projectRoot>/contracts` */
  readonly contractsRoot?: string;
  readonly environment: string;
  readonly synthesize: SynthesizeAssembly;
}

const synthesized = new Map<string, SynthesizedParts>();

/**
 * Reads `cdk.json` and the contracts as the app does (throwing `SettingsError`, `ContractError` or
 * `UnknownEnvironmentError` with every problem); the state machines are synthesized on first use.
 */
export function openEnvironment(options: EnvironmentOptions): SynthesizedEnvironment {
  const projectRoot = resolve(options.projectRoot);
  const contractsRoot = resolve(options.contractsRoot ?? join(projectRoot, 'contracts'));
  const context = readCdkJsonContext(join(projectRoot, 'cdk.json'));
  const settings = readSettings(context, process.env);
  const environment = settings.environments.find((candidate) => candidate.name === options.environment);
  if (environment === undefined) {
    throw new UnknownEnvironmentError(options.environment, settings.environments.map((candidate) => candidate.name));
  }
  const key = JSON.stringify([projectRoot, contractsRoot, environment.name]);
  const parts = synthesized.get(key) ?? synthesizedParts(once(() => options.synthesize({ contractsRoot, context, environment: environment.name })));
  synthesized.set(key, parts);
  const catalog = loadCatalog(contractsRoot, settings.domains === undefined ? {} : { domains: settings.domains });
  return {
    identity: { organization: settings.organization, environment: environment.name, account: environment.account, region: environment.region },
    catalog,
    modelCatalog: settings.domains === undefined ? catalog : loadCatalog(contractsRoot),
    ...parts,
  };
}

/** The dataset `<domain>/<dataset>`, or `UnknownDatasetError` with a did-you-mean. */
export function findDataset(catalog: Catalog, ref: string): Dataset {
  const datasets = catalog.domains.flatMap((domain) => domain.datasets);
  const found = datasets.find((dataset) => dataset.names.ref === ref);
  if (found === undefined) throw new UnknownDatasetError(ref, datasets.map((dataset) => dataset.names.ref));
  return found;
}

/** The state machine CDK named `name`; a missing one means the app and the runtime disagree. */
export async function stateMachineNamed(environment: SynthesizedEnvironment, name: string): Promise<SynthesizedStateMachine> {
  const machines = await environment.stateMachines();
  const found = machines.find((machine) => machine.name === name);
  if (found === undefined) {
    throw new Error(
      `the synthesized ${environment.identity.environment} environment has no state machine '${name}' ` +
        `(it has: ${machines.map((machine) => machine.name).join(', ')})`,
    );
  }
  return found;
}
