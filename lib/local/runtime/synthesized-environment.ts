/**
 * One environment of the app as the offline runtime needs it: its names, its contracts and the
 * state machine definitions CDK synthesized for it (DESIGN.md "Definitions from the app"), never a
 * hand-written copy. Synthesizing costs seconds, so it waits until a state machine is needed
 * (listing the quarantine needs none) and then happens once per process and contracts folder;
 * only the environment's Stage is synthesized (cdk-nag runs with `cdk synth` and the tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCdkJsonContext } from '../../config/cdk-json.ts';
import type { EnvironmentIdentity } from '../../config/names.ts';
import { readSettings } from '../../config/settings.ts';
import { loadCatalog } from '../../contracts/load.ts';
import type { Catalog, Dataset } from '../../contracts/model.ts';
import { createLakehouseApp, type LakehouseApp } from '../../stacks/create-lakehouse-app.ts';
import { UnknownEnvironmentError } from '../local-environment.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import { UnknownDatasetError } from './runtime-errors.ts';

export interface SynthesizedEnvironment {
  readonly identity: EnvironmentIdentity;
  readonly catalog: Catalog;
  /** The environment's state machines as CDK synthesized them; the first call synthesizes. */
  readonly stateMachines: () => readonly SynthesizedStateMachine[];
}

function once<T>(compute: () => T): () => T {
  let value: { readonly result: T } | undefined;
  return () => (value ??= { result: compute() }).result;
}

/** The environment's part of an app already built (the demo builds one to print what it deploys). */
export function environmentOf(lakehouse: LakehouseApp, environment: string): SynthesizedEnvironment {
  const stage = lakehouse.stages.find((candidate) => candidate.stageName === environment);
  const settings = lakehouse.settings.environments.find((candidate) => candidate.name === environment);
  if (stage === undefined || settings === undefined) {
    throw new UnknownEnvironmentError(environment, lakehouse.settings.environments.map((candidate) => candidate.name));
  }
  return {
    identity: { organization: lakehouse.settings.organization, environment: settings.name, account: settings.account, region: settings.region },
    catalog: lakehouse.catalog,
    stateMachines: once(() => synthesizedStateMachines(stage)),
  };
}

export interface EnvironmentOptions {
  /** The folder holding `cdk.json`. */
  readonly projectRoot: string;
  /** @default `<projectRoot>/contracts` */
  readonly contractsRoot?: string;
  readonly environment: string;
}

const synthesized = new Map<string, readonly SynthesizedStateMachine[]>();

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
  return {
    identity: { organization: settings.organization, environment: environment.name, account: environment.account, region: environment.region },
    catalog: loadCatalog(contractsRoot, settings.domains === undefined ? {} : { domains: settings.domains }),
    stateMachines: () => {
      const cached = synthesized.get(key);
      if (cached !== undefined) return cached;
      const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-synth-'));
      try {
        const machines = environmentOf(createLakehouseApp(contractsRoot, { outdir, context }), environment.name).stateMachines();
        synthesized.set(key, machines);
        return machines;
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
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
export function stateMachineNamed(environment: SynthesizedEnvironment, name: string): SynthesizedStateMachine {
  const machines = environment.stateMachines();
  const found = machines.find((machine) => machine.name === name);
  if (found === undefined) {
    throw new Error(
      `the synthesized ${environment.identity.environment} environment has no state machine '${name}' ` +
        `(it has: ${machines.map((machine) => machine.name).join(', ')})`,
    );
  }
  return found;
}
