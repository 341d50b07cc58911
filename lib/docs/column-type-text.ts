import type { ColumnType } from '../contracts/model.ts';

/** A column's storage type as the catalog shows it: `decimal(12,2)`, `integer (32-bit)`, `timestamp`. */
export function columnTypeText(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return `integer (${type.bits}-bit)`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    default:
      return type.kind;
  }
}
