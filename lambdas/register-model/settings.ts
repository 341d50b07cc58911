/**
 * How the register function is configured: one environment variable per setting of its model,
 * the contract versions as JSON. Read and checked once, at cold start.
 */
import type { RegisterSettings } from '../../lib/ml/register-request.ts';

const VARIABLES = {
  group: 'MODEL_PACKAGE_GROUP',
  featureTable: 'FEATURE_TABLE',
  contractVersions: 'CONTRACT_VERSIONS',
  gitRevision: 'GIT_REVISION',
  image: 'INFERENCE_IMAGE',
  approval: 'APPROVAL',
} as const satisfies Record<keyof RegisterSettings, string>;

export function registerEnvironmentVariables(settings: RegisterSettings): Record<string, string> {
  return {
    [VARIABLES.group]: settings.group,
    [VARIABLES.featureTable]: settings.featureTable,
    [VARIABLES.contractVersions]: JSON.stringify(settings.contractVersions),
    [VARIABLES.gitRevision]: settings.gitRevision,
    [VARIABLES.image]: settings.image,
    [VARIABLES.approval]: settings.approval,
  };
}

export function readRegisterSettings(environment: NodeJS.ProcessEnv): RegisterSettings {
  const value = (name: string): string => {
    const text = environment[name];
    if (!text) throw new Error(`the register function needs ${name} in its environment`);
    return text;
  };
  const approval = value(VARIABLES.approval);
  if (approval !== 'auto' && approval !== 'manual') throw new Error(`${VARIABLES.approval} must be auto or manual, got '${approval}'`);
  const contractVersions = JSON.parse(value(VARIABLES.contractVersions)) as unknown;
  if (typeof contractVersions !== 'object' || contractVersions === null || Object.values(contractVersions).some((version) => typeof version !== 'string')) {
    throw new Error(`${VARIABLES.contractVersions} must be a JSON object of dataset -> contract version`);
  }
  return {
    group: value(VARIABLES.group),
    featureTable: value(VARIABLES.featureTable),
    contractVersions: contractVersions as Record<string, string>,
    gitRevision: value(VARIABLES.gitRevision),
    image: value(VARIABLES.image),
    approval,
  };
}
