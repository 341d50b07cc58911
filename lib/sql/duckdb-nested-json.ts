import type { ColumnType } from '../contracts/model.ts';
import { quoteIdentifier, quoteString } from './ansi.ts';

type ScalarKind = Exclude<ColumnType['kind'], 'struct' | 'list'>;
const NUMBERS = ['UBIGINT', 'BIGINT', 'DOUBLE'];

/** The `json_type` a JSON value must have to hold a value of the scalar kind; the column's parser then checks the value itself. */
const JSON_TYPES: Readonly<Record<ScalarKind, readonly string[]>> = {
  string: ['VARCHAR'],
  boolean: ['BOOLEAN'],
  integer: ['UBIGINT', 'BIGINT'],
  double: NUMBERS,
  decimal: NUMBERS,
  date: ['VARCHAR'],
  timestamp: ['VARCHAR'],
  time: ['VARCHAR'],
};

/** Builds the SQL of one nested value: `valid` is true only when it has the declared shape; `value` is its typed value. */
interface NestedSql {
  readonly valid: string;
  readonly value: string;
}

type Parse = (text: string, type: ColumnType) => string;

/**
 * A JSON text (an object or array as JSON Lines and Parquet deliver it) as a value of a struct or
 * list type, or NULL when it does not have that shape exactly. DuckDB's own JSON-to-STRUCT cast
 * rounds `1.5` for an integer field, reads `"2"` as a number, and makes a missing or mistyped field
 * NULL, so each field is checked by its JSON type and the column's own parser before the value is
 * built: no value changes silently, and a required field must be present and not null.
 */
export function nestedJsonValue(text: string, type: ColumnType, parse: Parse): string {
  const json = `TRY_CAST(${text} AS JSON)`;
  const nested = nestedSql(json, type, parse, 0);
  return `CASE WHEN ${nested.valid} THEN ${nested.value} END`;
}

function nestedSql(json: string, type: ColumnType, parse: Parse, depth: number): NestedSql {
  switch (type.kind) {
    case 'struct': {
      const fields = type.fields.map((field) => {
        const value = `json_extract(${json}, ${quoteString(`$.${quoteIdentifier(field.nameInFile)}`)})`;
        const absent = `coalesce(json_type(${value}) = 'NULL', true)`;
        const inner = nestedSql(value, field.type, parse, depth + 1);
        return {
          valid: field.required ? `(NOT ${absent} AND coalesce(${inner.valid}, false))` : `(${absent} OR coalesce(${inner.valid}, false))`,
          value: `${quoteIdentifier(field.name)} := ${inner.value}`,
        };
      });
      const isObject = `json_type(${json}) = 'OBJECT'`;
      return {
        valid: [isObject, ...fields.map((field) => field.valid)].join(' AND '),
        value: `CASE WHEN ${isObject} THEN struct_pack(${fields.map((field) => field.value).join(', ')}) END`,
      };
    }
    case 'list': {
      // Each depth names its own lambda parameter, so an inner list's elements never shadow an outer one's.
      const element = `__element_${depth}`;
      const elements = `json_extract(${json}, '$[*]')`;
      const inner = nestedSql(element, type.element, parse, depth + 1);
      const isArray = `json_type(${json}) = 'ARRAY'`;
      return {
        valid:
          `${isArray} AND coalesce(list_bool_and(list_transform(${elements}, ` +
          `lambda ${element}: coalesce(json_type(${element}) = 'NULL', true) OR coalesce(${inner.valid}, false))), true)`,
        value: `CASE WHEN ${isArray} THEN list_transform(${elements}, lambda ${element}: ${inner.value}) END`,
      };
    }
    default: {
      const text = `json_extract_string(${json}, '$')`;
      const value = parse(text, type);
      return {
        valid: `json_type(${json}) IN (${JSON_TYPES[type.kind].map(quoteString).join(', ')}) AND ${value} IS NOT NULL`,
        value,
      };
    }
  }
}
