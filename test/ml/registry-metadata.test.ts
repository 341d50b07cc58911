import { describe, expect, it } from 'vitest';
import { decodeRegistryMetadata, encodeRegistryMetadata, METADATA_LIMITS } from '../../lib/ml/registry-metadata.ts';
import { registration } from './registry-contract.ts';

const { lineage, metrics } = registration('acme-dev-marketing-churn', 'run-1');

describe("a version's lineage and metrics as SageMaker's CustomerMetadataProperties", () => {
  it('read back as they were written', () => {
    const metadata = encodeRegistryMetadata('acme-dev-marketing-churn', lineage, metrics);
    expect(decodeRegistryMetadata('v1', { ...metadata, 'someone-else': 'kept apart' })).toEqual({ lineage, metrics });
  });

  it('refuse more entries than SageMaker takes, counting what made them', () => {
    const many = Object.fromEntries(Array.from({ length: METADATA_LIMITS.entries }, (_, index) => [`sales/table_${index}`, String(index + 1)]));
    expect(() => encodeRegistryMetadata('acme-dev-marketing-churn', { ...lineage, featureSnapshots: many }, metrics)).toThrow(
      "Model Package Group 'acme-dev-marketing-churn': 57 metadata entries (run id, git revision, training set, one per snapshot, contract and metric); SageMaker takes at most 50",
    );
  });

  it('refuse an empty value and a key over 128 characters', () => {
    expect(() => encodeRegistryMetadata('g', { ...lineage, gitRevision: '' }, metrics)).toThrow("metadata entry 'git-revision': the value has 0 characters; SageMaker takes 1 to 256");
    expect(() => encodeRegistryMetadata('g', lineage, { [`validation:${'a'.repeat(120)}`]: 1 })).toThrow(/the key has 138 characters; SageMaker takes 1 to 128/);
  });

  it('name a version this project did not register', () => {
    expect(() => decodeRegistryMetadata('arn:aws:sagemaker:eu-west-1:1:model-package/g/3', {})).toThrow(
      "arn:aws:sagemaker:eu-west-1:1:model-package/g/3: its metadata has no 'run-id' entry; it was not registered by a training run",
    );
  });
});
