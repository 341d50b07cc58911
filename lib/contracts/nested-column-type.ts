import { columnTypeOf, type TypedColumn } from './column-type.ts';
import type { FieldPath } from './field-path.ts';
import { LAKEHOUSE_NAME_RULE, lakehouseNameOf } from './lakehouse-name.ts';
import type { ColumnType, StructField } from './model.ts';
import type { RawItems, RawProperty } from './raw-contract.ts';

/** A problem in a nested column's declaration, at the field to edit. */
export interface NestedTypeProblem {
  readonly path: FieldPath;
  readonly message: string;
}

export type NestedTypeResult = { readonly typed: TypedColumn } | { readonly problems: readonly NestedTypeProblem[] };

/**
 * What a nested field (an object's property, an array's items) may not say. The lakehouse checks a
 * nested field's type and `required`, and row rules on a scalar one (`SCALAR_RULE_KEYS`); a key,
 * partition or relationship belongs to a top-level column and is refused, not ignored.
 */
const NESTED_RULE_KEYS = [
  'unique',
  'primaryKey',
  'primaryKeyPosition',
  'partitioned',
  'partitionKeyPosition',
  'relationships',
  'classification',
] as const;

/** Rules checked on a scalar nested field's values (check-nested-columns.ts); an object or array field has none. */
const SCALAR_RULE_KEYS = ['logicalTypeOptions', 'quality'] as const;

export function isNestedLogicalType(logicalType: string | undefined): logicalType is 'object' | 'array' {
  return logicalType === 'object' || logicalType === 'array';
}

/**
 * The storage type of an `object` column (a struct of its `properties`) or an `array` column (a
 * list of its `items`), nested to any depth, or every problem in the declaration. A nested field
 * is stored under its lakehouse name and read from the file by its `physicalName` or name.
 */
export function nestedColumnType(property: RawProperty | RawItems, path: FieldPath): NestedTypeResult {
  const problems: NestedTypeProblem[] = [];
  const type = nestedType(property, path, problems);
  if (problems.length > 0 || type === undefined) return { problems };
  return { typed: { type, logicalType: property.logicalType!, typeFrom: 'logicalType' } };
}

function nestedType(property: RawProperty | RawItems, path: FieldPath, problems: NestedTypeProblem[]): ColumnType | undefined {
  if (property.logicalType === 'object') {
    if (property.items !== undefined) problems.push({ path: [...path, 'items'], message: 'items belongs to an array column; an object column has properties' });
    const fields = property.properties;
    if (fields === undefined || fields.length === 0) {
      problems.push({ path, message: 'an object column needs properties: its fields, each with a name and a logicalType' });
      return undefined;
    }
    const built = fields.map((field, index) => structField(field, [...path, 'properties', index], problems));
    reportRepeatedNames(built, fields, problems);
    return built.every((field) => field !== undefined) ? { kind: 'struct', fields: built } : undefined;
  }
  if (property.logicalType === 'array') {
    if (property.properties !== undefined) {
      problems.push({ path: [...path, 'properties'], message: 'properties belongs to an object column; an array column has items' });
    }
    if (property.items === undefined) {
      problems.push({ path, message: 'an array column needs items: the type of its elements' });
      return undefined;
    }
    const itemsPath = [...path, 'items'];
    reportNestedRules(property.items, itemsPath, problems);
    if (property.items.required !== undefined) {
      problems.push({ path: [...itemsPath, 'required'], message: 'required on items is not supported: an array may hold null elements' });
    }
    const element = nestedType(property.items, itemsPath, problems);
    return element === undefined ? undefined : { kind: 'list', element };
  }
  if (property.properties !== undefined || property.items !== undefined) {
    const key = property.properties === undefined ? 'items' : 'properties';
    problems.push({ path: [...path, key], message: `${key} needs logicalType ${key === 'items' ? 'array' : 'object'}` });
    return undefined;
  }
  const scalar = columnTypeOf(property.logicalType, property.physicalType);
  if ('problem' in scalar) {
    problems.push({ path: [...path, 'physicalType'], message: scalar.problem });
    return undefined;
  }
  return scalar.type;
}

type BuiltField = StructField & { readonly path: FieldPath };

function structField(field: RawProperty, path: FieldPath, problems: NestedTypeProblem[]): BuiltField | undefined {
  reportNestedRules(field, path, problems);
  const name = lakehouseNameOf(field.name);
  if (name === undefined) {
    problems.push({ path: [...path, 'name'], message: `field name '${field.name}' has no letter or digit to derive a field name from (${LAKEHOUSE_NAME_RULE})` });
  }
  const type = nestedType(field, path, problems);
  if (name === undefined || type === undefined) return undefined;
  return { name, nameInFile: field.physicalName ?? field.name, type, required: field.required === true, path };
}

/** Each field's lakehouse name must be its own in its object, and so must its name in the file, or one value would fill two fields. */
function reportRepeatedNames(fields: readonly (BuiltField | undefined)[], written: readonly RawProperty[], problems: NestedTypeProblem[]): void {
  const seen = new Set<string>();
  const seenInFile = new Set<string>();
  for (const [index, field] of fields.entries()) {
    if (field === undefined) continue;
    if (seen.has(field.name)) {
      problems.push({ path: [...field.path, 'name'], message: `field name '${field.name}' is used twice in this object` });
    } else if (seenInFile.has(field.nameInFile)) {
      problems.push({
        path: [...field.path, written[index]!.physicalName === undefined ? 'name' : 'physicalName'],
        message: `field '${field.name}' is read from the file's '${field.nameInFile}', as another field of this object is`,
      });
    }
    seen.add(field.name);
    seenInFile.add(field.nameInFile);
  }
}

function reportNestedRules(field: RawProperty | RawItems, path: FieldPath, problems: NestedTypeProblem[]): void {
  // A pii tag marks a column sensitive; a nested field's value is masked only with its whole column.
  const piiTag = (field.tags ?? []).findIndex((tag) => tag.toLowerCase() === 'pii');
  if (piiTag >= 0) {
    problems.push({ path: [...path, 'tags', piiTag], message: 'a pii tag on a nested field is not supported: tag or classify the whole column, whose samples are then masked' });
  }
  for (const key of NESTED_RULE_KEYS) {
    if (field[key] === undefined) continue;
    problems.push({
      path: [...path, key],
      message:
        `${key} on a nested field is not supported: the lakehouse checks a nested field's type, required and row rules only ` +
        '(declare it on a top-level column, or as a sql rule on the dataset)',
    });
  }
  if (!isNestedLogicalType(field.logicalType)) return;
  for (const key of SCALAR_RULE_KEYS) {
    if (field[key] === undefined) continue;
    problems.push({
      path: [...path, key],
      message: `${key} on an ${field.logicalType} field is not supported: rules apply to a nested field's scalar values (write them on its fields or items)`,
    });
  }
}
