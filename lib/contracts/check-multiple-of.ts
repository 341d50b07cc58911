import { typeOfColumn } from './column-type.ts';
import { exactMultipleOfType, plainDecimal } from './exact-multiple-of.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { propertyOptionProblems } from './property-option-problems.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';

const NUMERIC_KINDS: readonly string[] = ['integer', 'double', 'decimal'];

/**
 * `logicalTypeOptions.multipleOf` is checked on numbers; on any other column it would be ignored,
 * and on an integer or decimal it could not be checked exactly with, so it is refused.
 */
export function checkMultipleOf(under: ContractUnderCheck): ContractProblem[] {
  return propertyOptionProblems(under, 'multipleOf', multipleOfProblem);
}

/** Why a column's or nested field's `logicalTypeOptions.multipleOf` is refused, if it is. */
export function multipleOfProblem(property: RawProperty): string | undefined {
  if (property.logicalTypeOptions?.multipleOf === undefined) return undefined;
  const divisor = property.logicalTypeOptions.multipleOf;
  const type = typeOfColumn(property);
  if (type === undefined) return undefined;
  // Past 38 digits only doubles remain, whose tolerance would let a large value pass any divisor.
  if ((type.kind === 'integer' || type.kind === 'decimal') && exactMultipleOfType(type, divisor) === undefined) {
    return `multipleOf ${plainDecimal(divisor)} on '${property.name}' (${property.physicalType ?? type.kind}) needs more than 38 digits, more than either engine holds exactly`;
  }
  if (NUMERIC_KINDS.includes(type.kind)) return undefined;
  return `multipleOf applies to number and integer columns only ('${property.name}' is ${property.logicalType ?? type.kind})`;
}
