import { typeOfColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import { formatCheck } from './value-formats.ts';

/** A `logicalTypeOptions.format` the lakehouse would read wrongly is refused, at the format. */
export function checkFormats({ contract, source }: ContractUnderCheck): ContractProblem[] {
  return contract.schema.flatMap((dataset, datasetIndex) =>
    dataset.properties.flatMap((property, propertyIndex) => {
      const format = property.logicalTypeOptions?.format;
      if (format === undefined) return [];
      const checked = formatCheck(format, typeOfColumn(property));
      if (checked.check !== 'refused') return [];
      const path: FieldPath = ['schema', datasetIndex, 'properties', propertyIndex, 'logicalTypeOptions', 'format'];
      return [source.problem(path, atField(path, `format '${format}' is not supported: ${checked.reason}`))];
    }),
  );
}
