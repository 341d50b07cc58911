import type { FieldPath } from './field-path.ts';
import { lakehouseNameOf } from './lakehouse-name.ts';
import type { NestedStep } from './model.ts';
import { isNestedLogicalType } from './nested-column-type.ts';
import type { RawItems, RawProperty } from './raw-contract.ts';

/** A scalar field inside an object or array column, where rules on it are written. */
export interface NestedScalarField {
  /** The field as written, named by `reported` (an array's items have no name of their own). */
  readonly field: RawProperty;
  readonly path: FieldPath;
  /** From the column's value to the field's: a struct field by lakehouse name, or each item of a list. */
  readonly steps: readonly NestedStep[];
  /** How reports name it: `address.zip`, `tags[]`, `lines[].sku`. */
  readonly reported: string;
}

/**
 * Every scalar field nested in an object or array column, at any depth. A field whose name has no
 * lakehouse name is skipped: the column's declaration is refused for it (nested-column-type.ts).
 */
export function nestedScalarFields(column: RawProperty, path: FieldPath): NestedScalarField[] {
  const name = lakehouseNameOf(column.name);
  return name === undefined ? [] : below(column, path, [], name);
}

function below(holder: RawProperty | RawItems, path: FieldPath, steps: readonly NestedStep[], reported: string): NestedScalarField[] {
  if (holder.logicalType === 'object') {
    return (holder.properties ?? []).flatMap((field, index) => {
      const name = lakehouseNameOf(field.name);
      if (name === undefined) return [];
      return at(field, [...path, 'properties', index], [...steps, { kind: 'field', name }], `${reported}.${name}`);
    });
  }
  if (holder.logicalType === 'array' && holder.items !== undefined) {
    return at(holder.items, [...path, 'items'], [...steps, { kind: 'items' }], `${reported}[]`);
  }
  return [];
}

function at(field: RawProperty | RawItems, path: FieldPath, steps: readonly NestedStep[], reported: string): NestedScalarField[] {
  if (isNestedLogicalType(field.logicalType)) return below(field, path, steps, reported);
  return [{ field: { ...field, name: reported }, path, steps, reported }];
}
