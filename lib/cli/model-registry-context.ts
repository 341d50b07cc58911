/**
 * What the `models` commands work on: the ML models of the working directory's contracts, each
 * with its Model Package Group in one environment, and the local registry of the workspace. The
 * registry is files, so nothing is synthesized and no local S3 server is started.
 */
import { join } from 'node:path';
import { modelPackageGroupName } from '../config/names.ts';
import { didYouMean } from '../contracts/did-you-mean.ts';
import { loadCatalog } from '../contracts/load.ts';
import { RegistryFileError } from '../local/ml/registry-version-file.ts';
import { workspaceModelRegistry } from '../local/ml/workspace-registry.ts';
import { runtimePaths } from '../local/runtime/runtime-paths.ts';
import { DEFAULT_WORKSPACE, workspaceAt } from '../local/workspace.ts';
import { loadMlModels } from '../ml/load.ts';
import type { ModelRegistry } from '../ml/model-registry.ts';
import { ExitCode } from './exit-codes.ts';
import type { CommandIO } from './io.ts';
import { projectSettings } from './project-settings.ts';
import { UsageError } from './usage-error.ts';

/** An ML model of the contracts and where its versions are registered. */
export interface RegistryModel {
  /** `<domain>/<model>`. */
  readonly id: string;
  /** Its Model Package Group in the chosen environment. */
  readonly group: string;
}

export interface ModelRegistryContext {
  readonly environment: string;
  /** In the catalog's order: domains by name, then models by name. */
  readonly models: readonly RegistryModel[];
  readonly registry: ModelRegistry;
  /** Where the registry's state changes are recorded, as EventBridge events are offline. */
  readonly eventsLog: string;
}

/**
 * Runs `action` on the models and registry of environment `options.env` in workspace
 * `options.lake` (default `.lake` in the working directory). An unknown environment is a usage
 * error; a registry file that is not a version file stops the command (exit 2) naming the file
 * and its first wrong field, since nothing it says can be trusted.
 */
export async function withModelRegistry(
  options: { readonly env: string; readonly lake?: string | undefined },
  io: CommandIO,
  command: string,
  action: (context: ModelRegistryContext) => Promise<ExitCode>,
): Promise<ExitCode> {
  const settings = projectSettings();
  const environment = settings.environments.find((candidate) => candidate.name === options.env);
  if (environment === undefined) {
    const known = settings.environments.map((candidate) => candidate.name);
    throw new UsageError(`no environment '${options.env}' in cdk.json${didYouMean(options.env, known)} (it has: ${known.join(', ')})`);
  }
  const models = await loadMlModels(loadCatalog('contracts'), () => settings);
  const workspace = workspaceAt(options.lake ?? join(process.cwd(), DEFAULT_WORKSPACE));
  const context: ModelRegistryContext = {
    environment: environment.name,
    models: models.map((model) => ({
      id: model.id,
      group: modelPackageGroupName({ organization: settings.organization, environment: environment.name }, model.domain, model.name),
    })),
    registry: workspaceModelRegistry(workspace, environment),
    eventsLog: runtimePaths(workspace).eventsLog,
  };
  try {
    return await action(context);
  } catch (error) {
    if (!(error instanceof RegistryFileError)) throw error;
    io.err(`lakehouse ${command}: the local model registry has a damaged file: ${error.message}`);
    return ExitCode.usage;
  }
}

/** The model `ref` names; a usage error with a did-you-mean when the contracts have none such. */
export function findModel(context: ModelRegistryContext, ref: string): RegistryModel {
  const model = context.models.find((candidate) => candidate.id === ref);
  if (model !== undefined) return model;
  const known = context.models.map((candidate) => candidate.id);
  if (known.length === 0) throw new UsageError(`no ML model '${ref}' in the contracts: no domain has a spec (contracts/<domain>/ml/<model>.yaml)`);
  throw new UsageError(`no ML model '${ref}' in the contracts${didYouMean(ref, known)} (ML models: ${known.join(', ')})`);
}
