import type { FieldPath } from './field-path.ts';
import type { RawContract, RawCustomProperty } from './raw-contract.ts';

/** Custom properties this project reads (or reserves); near-misses of these are errors. */
export const PROJECT_CUSTOM_PROPERTIES: readonly string[] = [
  'onViolation',
  'unknownColumns',
  'loadMode',
  'classBalance',
  'csv',
  'masking',
  'allowBreakingChange',
];

/** Settings a contract gives all its datasets and a schema object may override. */
export const DATASET_SETTINGS: readonly string[] = ['onViolation', 'unknownColumns', 'loadMode', 'classBalance'];

/** A custom property's value and the path of that value, for positions. */
export interface FoundProperty {
  readonly value: unknown;
  readonly path: FieldPath;
}

export function findCustomProperty(
  list: readonly RawCustomProperty[] | undefined,
  listPath: FieldPath,
  name: string,
): FoundProperty | undefined {
  const index = list?.findIndex((entry) => entry.property === name) ?? -1;
  return index < 0 ? undefined : { value: list![index]!.value, path: [...listPath, index, 'value'] };
}

/** The setting that applies to `schema[datasetIndex]`: its own, else the contract-level default. */
export function datasetSetting(contract: RawContract, datasetIndex: number, name: string): FoundProperty | undefined {
  return (
    findCustomProperty(contract.schema[datasetIndex]!.customProperties, ['schema', datasetIndex, 'customProperties'], name) ??
    findCustomProperty(contract.customProperties, ['customProperties'], name)
  );
}
