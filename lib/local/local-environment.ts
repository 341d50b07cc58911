import { join } from 'node:path';
import { readCdkJsonContext } from '../config/cdk-json.ts';
import type { EnvironmentIdentity } from '../config/names.ts';
import { type EnvironmentSettings, type LakehouseSettings, readSettings } from '../config/settings.ts';
import { loadCatalog } from '../contracts/load.ts';
import type { Catalog } from '../contracts/model.ts';

/** One environment of `cdk.json` as the offline runtime sees it: same names as the cloud. */
export interface LocalEnvironment {
  readonly settings: LakehouseSettings;
  readonly environment: EnvironmentSettings;
  readonly identity: EnvironmentIdentity;
  readonly catalog: Catalog;
}

export class UnknownEnvironmentError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`no environment '${name}' in cdk.json (it has: ${known.join(', ')})`);
    this.name = 'UnknownEnvironmentError';
  }
}

/** Reads `cdk.json` and `contracts/` under `projectRoot`; throws `SettingsError`/`ContractError` with every problem. */
export function localEnvironment(projectRoot: string, name: string): LocalEnvironment {
  const settings = readSettings(readCdkJsonContext(join(projectRoot, 'cdk.json')), process.env);
  const environment = settings.environments.find((candidate) => candidate.name === name);
  if (environment === undefined) {
    throw new UnknownEnvironmentError(name, settings.environments.map((candidate) => candidate.name));
  }
  const identity: EnvironmentIdentity = {
    organization: settings.organization,
    environment: environment.name,
    account: environment.account,
    region: environment.region,
  };
  return { settings, environment, identity, catalog: loadCatalog(join(projectRoot, 'contracts')) };
}
