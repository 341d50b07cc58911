import type { ColumnType } from '../contracts/model.ts';
import { columnTypeText } from './column-type-text.ts';

/** One field of an object column (or of the objects an array column holds), as the schema table lists it under its column. */
export interface NestedFieldRow {
  /** The field's path below its column: `address.city`, `lines[].sku`. */
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** How far below its column the field sits (1 for a direct field), for indenting. */
  readonly depth: number;
}

/** Every field nested in a column's type, depth first, in contract order; none for a scalar column. */
export function nestedFieldRows(type: ColumnType, prefix = '', depth = 1): NestedFieldRow[] {
  if (type.kind === 'list') return nestedFieldRows(type.element, `${prefix}[]`, depth);
  if (type.kind !== 'struct') return [];
  return type.fields.flatMap((field) => {
    const path = prefix === '' ? field.name : `${prefix}.${field.name}`;
    return [{ path, type: columnTypeText(field.type), required: field.required, depth }, ...nestedFieldRows(field.type, path, depth + 1)];
  });
}
