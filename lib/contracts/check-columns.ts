import { columnTypeOf, type TypedColumn } from './column-type.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { boundProblems } from './bound-problems.ts';
import { boundsOf, flagsWithoutBound } from './exclusive-bounds.ts';
import { atField, type FieldPath } from './field-path.ts';
import { LAKEHOUSE_COLUMNS } from './lakehouse-columns.ts';
import { LAKEHOUSE_NAME_RULE, lakehouseNameOf } from './lakehouse-name.ts';
import { isNestedLogicalType } from './nested-column-type.ts';
import { patternProblem } from './patterns.ts';
import { asWarning, type ContractProblem } from './problems.ts';
import type { RawProperty, RawSchemaObject } from './raw-contract.ts';

/**
 * Checks on one dataset's columns: unique names and ids, type combinations, key and partition
 * positions, bounds and patterns.
 */
export function checkColumns(under: ContractUnderCheck, datasetIndex: number): ContractProblem[] {
  const { source } = under;
  const dataset = under.contract.schema[datasetIndex]!;
  const datasetPath: FieldPath = ['schema', datasetIndex];
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));

  reportNameCollisions(dataset, datasetPath, report, under);
  reportRepeats(dataset, datasetPath, 'id', report, under);
  dataset.properties.forEach((property, index) => {
    const path = [...datasetPath, 'properties', index];
    // An object or array column's type comes from its nested fields, which checkNestedColumns checks.
    if (isNestedLogicalType(property.logicalType)) return;
    const typed = columnTypeOf(property.logicalType, property.physicalType);
    if ('problem' in typed) {
      report([...path, 'physicalType'], typed.problem);
      return;
    }
    if (typed.typeFrom === 'defaultString') {
      const said = property.physicalType === undefined ? 'no physicalType' : `physicalType '${property.physicalType}', a type the lakehouse does not know`;
      problems.push(asWarning(source.problem(path, atField(path, `column '${property.name}' has no logicalType and ${said}: it is read as a string (add a logicalType)`))));
    }
    checkOptions(property, typed, path, report);
    if (property.partitioned === true && typed.type.kind === 'double') {
      report(
        [...path, 'partitioned'],
        `column '${property.name}' is a double and cannot be a partition column (partitions need exact values: use decimal, integer, string or date)`,
      );
    }
  });
  checkKeyPositions(dataset, datasetPath, 'primaryKey', 'primaryKeyPosition', report);
  checkKeyPositions(dataset, datasetPath, 'partitioned', 'partitionKeyPosition', report);
  return problems;
}

export type Report = (path: FieldPath, message: string) => void;

/**
 * Each column's lakehouse name (derived from its written name) must be its own and not one the
 * lakehouse adds (`file_id`, `ingest_date`: the table would hold two), and so must the
 * name a file gives it (`physicalName`, else the written name), or one file column would fill two.
 */
function reportNameCollisions(dataset: RawSchemaObject, datasetPath: FieldPath, report: Report, under: ContractUnderCheck): void {
  const where = (index: number, field: 'name' | 'physicalName') => {
    const { file, line, column } = under.source.positionOf([...datasetPath, 'properties', index, field]);
    return `${file}:${line}:${column}`;
  };
  const derivedFirst = new Map<string, number>();
  const inFileFirst = new Map<string, number>();
  dataset.properties.forEach((property, index) => {
    const path = [...datasetPath, 'properties', index];
    const derived = lakehouseNameOf(property.name);
    if (derived === undefined) {
      report([...path, 'name'], `column name '${property.name}' has no letter or digit to derive a column name from (${LAKEHOUSE_NAME_RULE})`);
      return;
    }
    const earlier = derivedFirst.get(derived);
    if (earlier !== undefined) {
      const other = dataset.properties[earlier]!.name;
      report(
        [...path, 'name'],
        other === property.name
          ? `column name '${other}' is already used in dataset '${dataset.name}' at ${where(earlier, 'name')}`
          : `column '${property.name}' derives the column name '${derived}', as column '${other}' at ${where(earlier, 'name')} does`,
      );
      return;
    }
    if (LAKEHOUSE_COLUMNS.includes(derived)) {
      report(
        [...path, 'name'],
        `column '${property.name}' derives the column name '${derived}', which the lakehouse adds to every row ` +
          `(${LAKEHOUSE_COLUMNS.join(', ')}): rename it, and give the file's name as physicalName if the file keeps it`,
      );
      return;
    }
    derivedFirst.set(derived, index);
    const inFile = property.physicalName ?? property.name;
    const earlierInFile = inFileFirst.get(inFile);
    if (earlierInFile !== undefined) {
      const other = dataset.properties[earlierInFile]!;
      const field = (named: RawProperty) => (named.physicalName === undefined ? 'name' : 'physicalName');
      report(
        [...path, field(property)],
        `column '${property.name}' is read from the file's '${inFile}', as column '${other.name}' at ${where(earlierInFile, field(other))} is`,
      );
      return;
    }
    inFileFirst.set(inFile, index);
  });
}

function reportRepeats(
  dataset: RawSchemaObject,
  datasetPath: FieldPath,
  field: 'id',
  report: Report,
  under: ContractUnderCheck,
): void {
  const first = new Map<string, number>();
  dataset.properties.forEach((property, index) => {
    const value = property[field];
    if (value === undefined) return;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
      return;
    }
    const where = under.source.positionOf([...datasetPath, 'properties', earlier, field]);
    report(
      [...datasetPath, 'properties', index, field],
      `column ${field} '${value}' is already used in dataset '${dataset.name}' at line ${where.line}`,
    );
  });
}

/**
 * Key positions must run 1..n, or be left out (ODCS's default, -1) on every key column, which
 * then follow property order.
 */
function checkKeyPositions(
  dataset: RawSchemaObject,
  datasetPath: FieldPath,
  flag: 'primaryKey' | 'partitioned',
  positionField: 'primaryKeyPosition' | 'partitionKeyPosition',
  report: Report,
): void {
  const label = flag === 'primaryKey' ? 'primary key' : 'partition';
  const members: { property: RawProperty; path: FieldPath; position: number }[] = [];
  dataset.properties.forEach((property, index) => {
    const path = [...datasetPath, 'properties', index];
    const position = property[positionField];
    if (property[flag] !== true) {
      if (position !== undefined && position !== -1) report([...path, positionField], `${positionField} needs ${flag}: true`);
      return;
    }
    members.push({ property, path, position: position ?? -1 });
  });
  if (members.every((member) => member.position === -1)) return;
  const seen = new Map<number, string>();
  for (const { property, path, position } of members) {
    if (position === -1) {
      report(path, `column '${property.name}' needs ${positionField}: the ${label} has ${members.length} columns`);
    } else if (position < 1 || position > members.length) {
      report(
        [...path, positionField],
        `${positionField} ${position} leaves a gap: ` +
          (members.length === 1
            ? `the only ${label} column must have position 1`
            : `the ${members.length} ${label} columns must have positions 1..${members.length}` +
              missingPositions(members.map((member) => member.position))),
      );
    } else if (seen.has(position)) {
      report([...path, positionField], `${positionField} ${position} is already used by column '${seen.get(position)}'`);
    } else {
      seen.set(position, property.name);
    }
  }
}

function missingPositions(positions: readonly number[]): string {
  const missing = positions.map((_, index) => index + 1).filter((position) => !positions.includes(position));
  return missing.length === 0 ? '' : ` (position ${missing.join(', ')} is missing)`;
}


/** A column's or scalar nested field's `logicalTypeOptions` that its type cannot hold, or that contradict each other. */
export function checkOptions(property: RawProperty, { type, logicalType }: TypedColumn, path: FieldPath, report: Report): void {
  const options = property.logicalTypeOptions;
  if (options === undefined) return;
  const optionsPath = [...path, 'logicalTypeOptions'];
  const isString = type.kind === 'string';
  for (const field of ['minItems', 'maxItems', 'uniqueItems'] as const) {
    if (options[field] !== undefined) report([...optionsPath, field], `${field} applies to array columns only ('${property.name}' is ${logicalType})`);
  }
  for (const field of ['pattern', 'minLength', 'maxLength'] as const) {
    if (options[field] !== undefined && !isString) {
      report([...optionsPath, field], `${field} applies to string columns only ('${property.name}' is ${logicalType})`);
    }
  }
  if (options.pattern !== undefined && isString) {
    const problem = patternProblem(options.pattern);
    if (problem !== undefined) report([...optionsPath, 'pattern'], problem);
  }
  if (options.minLength !== undefined && options.maxLength !== undefined && options.minLength > options.maxLength) {
    report([...optionsPath, 'minLength'], `minLength ${options.minLength} is greater than maxLength ${options.maxLength}`);
  }

  for (const flag of flagsWithoutBound(options)) {
    report([...optionsPath, flag], `${flag}: true (ODCS v3.0's form) makes ${flag === 'exclusiveMinimum' ? 'minimum' : 'maximum'} exclusive, and there is none`);
  }
  for (const { field, message } of boundProblems(boundsOf(options), { name: property.name, logicalType, type })) {
    report([...optionsPath, field], message);
  }
}
