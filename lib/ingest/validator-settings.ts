/**
 * What the validator function is configured with, besides its code: environment variables and
 * the compiled contract file, written by its construct and read by its handler, named here once
 * so the two cannot disagree.
 */
import type { ZoneBuckets } from './process-landed-file.ts';

/** Beside the handler's bundle: the dataset's compiled contract (the `Dataset` model as JSON). */
export const DATASET_FILE = 'dataset.json';

export interface ValidatorSettings {
  /** Environment name from `cdk.json`, e.g. `dev`: a metrics dimension. */
  readonly environment: string;
  readonly buckets: ZoneBuckets;
}

const VARIABLES = {
  environment: 'LAKEHOUSE_ENVIRONMENT',
  landing: 'LANDING_BUCKET',
  validated: 'VALIDATED_BUCKET',
  quarantine: 'QUARANTINE_BUCKET',
  audit: 'AUDIT_BUCKET',
} as const;

export function validatorEnvironmentVariables(settings: ValidatorSettings): Record<string, string> {
  return {
    [VARIABLES.environment]: settings.environment,
    [VARIABLES.landing]: settings.buckets.landing,
    [VARIABLES.validated]: settings.buckets.validated,
    [VARIABLES.quarantine]: settings.buckets.quarantine,
    [VARIABLES.audit]: settings.buckets.audit,
  };
}

/** Reads the settings back; throws naming every variable that is missing. */
export function readValidatorSettings(variables: Readonly<Record<string, string | undefined>>): ValidatorSettings {
  const missing = Object.values(VARIABLES).filter((name) => !variables[name]);
  if (missing.length > 0) throw new Error(`the validator needs the environment variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  const value = (name: string): string => variables[name]!;
  return {
    environment: value(VARIABLES.environment),
    buckets: {
      landing: value(VARIABLES.landing),
      validated: value(VARIABLES.validated),
      quarantine: value(VARIABLES.quarantine),
      audit: value(VARIABLES.audit),
    },
  };
}
