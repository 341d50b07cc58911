import { typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { propertyOptionProblems } from './property-option-problems.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';
import { formatCheck } from './value-formats.ts';

/** A `logicalTypeOptions.format` the lakehouse would read wrongly is refused, at the format. */
export function checkFormats(under: ContractUnderCheck): ContractProblem[] {
  return propertyOptionProblems(under, 'format', formatProblem);
}

/** Why a column's or nested field's `logicalTypeOptions.format` is refused, if it is. */
export function formatProblem(property: RawProperty): string | undefined {
  const format = property.logicalTypeOptions?.format;
  if (format === undefined) return undefined;
  const checked = formatCheck(format, typeOfColumn(property));
  return checked.check === 'refused' ? `format '${format}' is not supported: ${checked.reason}` : undefined;
}
