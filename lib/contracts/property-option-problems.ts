import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';

/**
 * The problems one `logicalTypeOptions` entry has on each column of a contract, each at that
 * entry: the walk every per-option check shares, so a check only says what is wrong with a column.
 */
export function propertyOptionProblems(
  { contract, source }: ContractUnderCheck,
  option: 'format' | 'multipleOf',
  problemOf: (property: RawProperty) => string | undefined,
): ContractProblem[] {
  return contract.schema.flatMap((dataset, datasetIndex) =>
    dataset.properties.flatMap((property, propertyIndex) => {
      const problem = problemOf(property);
      if (problem === undefined) return [];
      const path: FieldPath = ['schema', datasetIndex, 'properties', propertyIndex, 'logicalTypeOptions', option];
      return [source.problem(path, atField(path, problem))];
    }),
  );
}
