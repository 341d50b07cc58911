import { checkOptions, type Report } from './check-columns.ts';
import { formatProblem } from './check-formats.ts';
import { multipleOfProblem } from './check-multiple-of.ts';
import { columnTypeOf } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import { isNestedLogicalType, nestedColumnType } from './nested-column-type.ts';
import { nestedScalarFields } from './nested-fields.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';
import { readingServer } from './reading-server.ts';
import { formatCheck } from './value-formats.ts';
import { inV31Form } from './v30-quality.ts';

/** What an object or array column may not say: a struct or a list has no order, key or partition value. */
const REFUSED_ON_NESTED_COLUMNS = ['unique', 'primaryKey', 'partitioned', 'relationships'] as const;

/** The `logicalTypeOptions` an array column takes, each a row rule on its items; an object column takes none. */
const ARRAY_OPTIONS: readonly string[] = ['minItems', 'maxItems', 'uniqueItems'];

/** Quality metrics that measure an object or array column as a whole (presence); the others compare scalar values. */
const NESTED_COLUMN_METRICS: readonly string[] = ['nullValues'];

/** Quality metrics a scalar nested field's rule may use: each judges a value on its own, so a row fails when any item does. */
const NESTED_FIELD_METRICS: readonly string[] = ['nullValues', 'missingValues', 'invalidValues'];

/**
 * Why a metric cannot measure the column, when it is an object or array column: written as a
 * library rule or translated from a Great Expectations rule (check-quality.ts), the same answer.
 */
export function nestedMetricProblem(metric: string, property: RawProperty): string | undefined {
  if (!isNestedLogicalType(property.logicalType) || NESTED_COLUMN_METRICS.includes(metric)) return undefined;
  return `metric ${metric} on an ${property.logicalType} column is not supported (nullValues and sql rules are)`;
}

/**
 * Checks on a dataset's `object` and `array` columns (issue 13 item 6): their nested declaration,
 * the rules that cannot apply to a whole struct or list, and a CSV server, whose text cannot hold one.
 */
export function checkNestedColumns(under: ContractUnderCheck, datasetIndex: number): ContractProblem[] {
  const { source, contract } = under;
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const reading = readingServer(contract);
  contract.schema[datasetIndex]!.properties.forEach((property, index) => {
    if (!isNestedLogicalType(property.logicalType)) return;
    const path: FieldPath = ['schema', datasetIndex, 'properties', index];
    if (reading?.server.format === 'csv') {
      report(
        [...path, 'logicalType'],
        `column '${property.name}' is an ${property.logicalType}, which a CSV file cannot hold: deliver JSON Lines or Parquet ` +
          `(servers[${reading.index}].format), or declare the column as a string`,
      );
    }
    const nested = nestedColumnType(property, path);
    if ('problems' in nested) nested.problems.forEach((problem) => report(problem.path, problem.message));
    for (const key of REFUSED_ON_NESTED_COLUMNS) {
      if (property[key] !== undefined) report([...path, key], `${key} on an ${property.logicalType} column is not supported`);
    }
    checkArrayOptions(property, path, report);
    (property.quality ?? []).forEach((rule, ruleIndex) => {
      const problem = (rule.type ?? 'library') === 'library' && rule.metric !== undefined ? nestedMetricProblem(rule.metric, property) : undefined;
      if (problem !== undefined) report([...path, 'quality', ruleIndex, 'metric'], problem);
    });
    nestedScalarFields(property, path).forEach(({ field, path: fieldPath }) => checkNestedField(field, fieldPath, report));
  });
  return problems;
}

/** An object or array column's `logicalTypeOptions`: an array's item counts and uniqueness, nothing else. */
function checkArrayOptions(property: RawProperty, path: FieldPath, report: Report): void {
  const options = property.logicalTypeOptions;
  if (options === undefined) return;
  const optionsPath = [...path, 'logicalTypeOptions'];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (property.logicalType === 'array' && ARRAY_OPTIONS.includes(key))) continue;
    report([...optionsPath, key], `${key} on an ${property.logicalType} column is not supported${property.logicalType === 'array' ? ` (${ARRAY_OPTIONS.join(', ')} are)` : ''}`);
  }
  if (options.minItems !== undefined && options.maxItems !== undefined && options.minItems > options.maxItems) {
    report([...optionsPath, 'minItems'], `minItems ${options.minItems} is greater than maxItems ${options.maxItems}`);
  }
}

/**
 * A scalar nested field's rules: its `logicalTypeOptions` as a column's, and quality rules that
 * judge one value (a sql or Great Expectations rule reads whole rows, a uniqueness rule all rows;
 * a text rule is listed as not evaluated on a column, which a nested field is not).
 */
function checkNestedField(field: RawProperty, path: FieldPath, report: Report): void {
  const typed = columnTypeOf(field.logicalType, field.physicalType);
  // A type the lakehouse does not know is refused where the column's type is built (nested-column-type.ts).
  if ('problem' in typed) return;
  checkOptions(field, typed, path, report);
  const format = formatProblem(field);
  if (format !== undefined) report([...path, 'logicalTypeOptions', 'format'], format);
  const written = field.logicalTypeOptions?.format;
  // A column's date pattern is how its text is parsed; a nested date is parsed with its whole column, as ISO.
  if (format === undefined && written !== undefined && formatCheck(written, typed.type).check === 'parsed') {
    report(
      [...path, 'logicalTypeOptions', 'format'],
      `format '${written}' on a nested ${typed.logicalType} field is not supported: a nested date or timestamp is read as ISO 8601 (declare the field a string with this format)`,
    );
  }
  const multipleOf = multipleOfProblem(field);
  if (multipleOf !== undefined) report([...path, 'logicalTypeOptions', 'multipleOf'], multipleOf);
  (field.quality ?? []).forEach((asWritten, index) => {
    const rule = inV31Form(asWritten);
    const type = rule.type ?? 'library';
    if (type !== 'library') {
      report(
        [...path, 'quality', index, 'type'],
        `a ${type} rule on a nested field is not supported (nullValues, missingValues and invalidValues are; write it on the column or the dataset)`,
      );
    } else if (rule.metric !== undefined && !NESTED_FIELD_METRICS.includes(rule.metric)) {
      report([...path, 'quality', index, 'metric'], `metric ${rule.metric} on a nested field is not supported (nullValues, missingValues and invalidValues are)`);
    }
  });
}
