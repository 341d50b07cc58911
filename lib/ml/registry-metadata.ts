/**
 * A version's lineage and metrics as SageMaker's `CustomerMetadataProperties`, and back. SageMaker
 * keeps only a flat string map there, so each snapshot id, contract version and metric is an
 * entry of its own (`snapshot:sales/orders` -> `8123...`): no list packed into one value, whose
 * separators the allowed characters could not express. Its limits are SageMaker's API reference's
 * (CreateModelPackage: at most 50 entries, keys 1-128 and values 1-256 characters of
 * `[\p{L}\p{Z}\p{N}_.:/=+\-@]`; the run id, as `ClientToken`, 1-36 of `[a-zA-Z0-9-]`); both registries enforce them, so what passes offline registers.
 */
import type { ModelLineage } from './model-registry.ts';

export const METADATA_LIMITS = { entries: 50, keyLength: 128, valueLength: 256 } as const;
const ALLOWED = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** SageMaker's `ClientToken` pattern: the run id is the registration's idempotency token. */
const CLIENT_TOKEN = /^[a-zA-Z0-9-]{1,36}$/;

const RUN_ID = 'run-id';
const GIT_REVISION = 'git-revision';
const TRAINING_SET = 'training-set';
const SNAPSHOT = 'snapshot:';
const CONTRACT = 'contract:';
const METRIC = 'metric:';

export class RegistryMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryMetadataError';
  }
}

function checkEntry(group: string, key: string, value: string): void {
  const where = `Model Package Group '${group}': metadata entry '${key}'`;
  if (key.length < 1 || key.length > METADATA_LIMITS.keyLength) {
    throw new RegistryMetadataError(`${where}: the key has ${key.length} characters; SageMaker takes 1 to ${METADATA_LIMITS.keyLength}`);
  }
  if (value.length < 1 || value.length > METADATA_LIMITS.valueLength) {
    throw new RegistryMetadataError(`${where}: the value has ${value.length} characters; SageMaker takes 1 to ${METADATA_LIMITS.valueLength}`);
  }
  for (const [part, text] of [['key', key], ['value', value]] as const) {
    if (!ALLOWED.test(text)) {
      const bad = [...text].find((character) => !ALLOWED.test(character));
      throw new RegistryMetadataError(`${where}: the ${part} holds '${bad}'; SageMaker allows letters, digits, spaces and _.:/=+-@`);
    }
  }
}

/** The metadata map of a version, checked against SageMaker's limits (throws naming the entry). */
export function encodeRegistryMetadata(group: string, lineage: ModelLineage, metrics: Readonly<Record<string, number>>): Record<string, string> {
  if (!CLIENT_TOKEN.test(lineage.runId)) {
    throw new RegistryMetadataError(
      `Model Package Group '${group}': run id '${lineage.runId}' cannot be SageMaker's ClientToken (1 to 36 letters, digits or hyphens, such as a UUID)`,
    );
  }
  const entries: [string, string][] = [
    [RUN_ID, lineage.runId],
    [GIT_REVISION, lineage.gitRevision],
    [TRAINING_SET, lineage.trainingSet],
    ...Object.entries(lineage.featureSnapshots).map(([table, id]): [string, string] => [`${SNAPSHOT}${table}`, id]),
    ...Object.entries(lineage.contractVersions).map(([dataset, version]): [string, string] => [`${CONTRACT}${dataset}`, version]),
    ...Object.entries(metrics).map(([name, value]): [string, string] => [`${METRIC}${name}`, String(value)]),
  ];
  if (entries.length > METADATA_LIMITS.entries) {
    throw new RegistryMetadataError(
      `Model Package Group '${group}': ${entries.length} metadata entries (run id, git revision, training set, one per snapshot, contract and metric); SageMaker takes at most ${METADATA_LIMITS.entries}`,
    );
  }
  for (const [key, value] of entries) checkEntry(group, key, value);
  return Object.fromEntries(entries);
}

function withPrefix(metadata: Readonly<Record<string, string>>, prefix: string): [string, string][] {
  return Object.entries(metadata)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, value]) => [key.slice(prefix.length), value]);
}

/**
 * Lineage and metrics read back from a version's metadata; `version` names it in the error when
 * an entry this project always writes is missing (a version registered by other means).
 */
export function decodeRegistryMetadata(
  version: string,
  metadata: Readonly<Record<string, string>>,
): { lineage: ModelLineage; metrics: Record<string, number> } {
  const required = (key: string): string => {
    const value = metadata[key];
    if (value === undefined) throw new RegistryMetadataError(`${version}: its metadata has no '${key}' entry; it was not registered by a training run`);
    return value;
  };
  return {
    lineage: {
      runId: required(RUN_ID),
      gitRevision: required(GIT_REVISION),
      trainingSet: required(TRAINING_SET),
      featureSnapshots: Object.fromEntries(withPrefix(metadata, SNAPSHOT)),
      contractVersions: Object.fromEntries(withPrefix(metadata, CONTRACT)),
    },
    metrics: Object.fromEntries(withPrefix(metadata, METRIC).map(([name, value]) => [name, Number(value)])),
  };
}
