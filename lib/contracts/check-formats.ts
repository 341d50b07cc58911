import { typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';
import { formatCheck } from './value-formats.ts';

/** A `logicalTypeOptions.format` the lakehouse would read wrongly is refused, at the format. */
export function checkFormats({ contract, source }: ContractUnderCheck): ContractProblem[] {
  return contract.schema.flatMap((dataset, datasetIndex) =>
    dataset.properties.flatMap((property, propertyIndex) => {
      const problem = formatProblem(property);
      if (problem === undefined) return [];
      const path: FieldPath = ['schema', datasetIndex, 'properties', propertyIndex, 'logicalTypeOptions', 'format'];
      return [source.problem(path, atField(path, problem))];
    }),
  );
}

/** Why a column's or nested field's `logicalTypeOptions.format` is refused, if it is. */
export function formatProblem(property: RawProperty): string | undefined {
  const format = property.logicalTypeOptions?.format;
  if (format === undefined) return undefined;
  const checked = formatCheck(format, typeOfColumn(property));
  return checked.check === 'refused' ? `format '${format}' is not supported: ${checked.reason}` : undefined;
}
