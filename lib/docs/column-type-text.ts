import type { ColumnType } from '../contracts/model.ts';

/**
 * A column's storage type as the catalog shows it: `decimal(12,2)`, `integer (32-bit)`, `timestamp`,
 * `object` (its fields are listed under it), `array of string`.
 */
export function columnTypeText(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return `integer (${type.bits}-bit)`;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'struct':
      return 'object';
    case 'list':
      return `array of ${columnTypeText(type.element)}`;
    case 'time':
      return 'time (HH:MM:SS text)';
    default:
      return type.kind;
  }
}
