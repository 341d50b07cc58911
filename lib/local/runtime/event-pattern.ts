/**
 * EventBridge's content filtering offline: whether an event matches a rule's `EventPattern`, as
 * EventBridge decides it. A pattern's field is an object of nested fields or an array of
 * alternatives; an alternative is a literal (compared with the event's value, or with any element
 * of an array value) or a filter object: `prefix`, `suffix`, `equals-ignore-case`, `anything-but`,
 * `exists`, `numeric`. A filter EventBridge has and this does not know is an error naming it, never
 * a silent match. Pure.
 */
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { isJsonObject } from './request-fields.ts';

type Scalar = string | number | boolean | null;

const NUMERIC_OPERATORS: Readonly<Record<string, (left: number, right: number) => boolean>> = {
  '=': (left, right) => left === right,
  '<': (left, right) => left < right,
  '<=': (left, right) => left <= right,
  '>': (left, right) => left > right,
  '>=': (left, right) => left >= right,
};

function numericMatches(conditions: JsonValue, value: Scalar): boolean {
  if (!Array.isArray(conditions) || conditions.length % 2 !== 0) throw new Error(`numeric filter ${JSON.stringify(conditions)} is not operator, number pairs`);
  if (typeof value !== 'number') return false;
  for (let index = 0; index < conditions.length; index += 2) {
    const compare = NUMERIC_OPERATORS[String(conditions[index])];
    const bound = conditions[index + 1];
    if (compare === undefined || typeof bound !== 'number') throw new Error(`numeric filter ${JSON.stringify(conditions)} has no operator '${String(conditions[index])}' and number`);
    if (!compare(value, bound)) return false;
  }
  return true;
}

function filterMatches(filter: JsonObject, value: Scalar): boolean {
  const [name, ...others] = Object.keys(filter);
  if (name === undefined || others.length > 0) throw new Error(`event pattern filter ${JSON.stringify(filter)} must have exactly one operator`);
  const operand = filter[name]!;
  switch (name) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'anything-but':
      return !(isJsonObject(operand) ? filterMatches(operand, value) : (Array.isArray(operand) ? operand : [operand]).some((excluded) => excluded === value));
    case 'numeric':
      return numericMatches(operand, value);
    default:
      throw new Error(`event pattern filter '${name}' is not supported offline`);
  }
}

/** Whether one of the alternatives matches the event's value at this field (undefined: the event lacks it). */
function fieldMatches(alternatives: readonly JsonValue[], value: JsonValue | undefined): boolean {
  const values: Scalar[] = value === undefined ? [] : Array.isArray(value) ? (value.filter((item) => !isJsonObject(item) && !Array.isArray(item)) as Scalar[]) : isJsonObject(value) ? [] : [value];
  return alternatives.some((alternative) => {
    if (isJsonObject(alternative) && 'exists' in alternative) return (value !== undefined) === (alternative['exists'] === true);
    return values.some((item) => (isJsonObject(alternative) ? filterMatches(alternative, item) : alternative === item));
  });
}

export function eventMatches(pattern: JsonValue, event: JsonValue): boolean {
  if (!isJsonObject(pattern)) throw new Error(`an event pattern must be an object, got ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([field, expected]) => {
    const value = isJsonObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return fieldMatches(expected, value);
    if (isJsonObject(expected)) return value !== undefined && eventMatches(expected, value);
    throw new Error(`event pattern field '${field}' must be an array or an object, got ${JSON.stringify(expected)}`);
  });
}
