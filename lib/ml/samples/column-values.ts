/**
 * A valid value for any column of a contract, from what the contract says of it: an accepted-values
 * list, a `format` (email, uuid, ipv4), a `pattern`, and the type's bounds and lengths. A unique
 * column gets a distinct value per row number. The churn generator sets the columns whose values
 * carry its signal (keys, references, event times) itself and asks here for the rest, so a column
 * added to a contract gets valid values without the generator naming it.
 */
import type { Column, Dataset } from '../../contracts/model.ts';
import { randomPatternValue, sequencePatternValue } from './pattern-values.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A value as a sample file writes it: dates and timestamps as ISO-8601 text, null as absent. */
export type SampleValue = string | number | boolean | null;

export type SampleRow = Readonly<Record<string, SampleValue>>;

export interface ValueContext {
  readonly random: SeededRandom;
  /** The row's number among the dataset's generated rows, from 0: a unique column's value follows it. */
  readonly row: number;
  /** Dates and timestamps without a bound of their own fall between these. */
  readonly from: Date;
  readonly to: Date;
}

const DAY_MS = 86_400_000;
const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';

export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `2026-11-20T07:21:54Z`: whole seconds, as the contracts' samples write them. */
export function isoTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** The accepted values an error-severity `invalidValues` rule of the column lists, if any. */
function acceptedValues(dataset: Dataset, column: Column): readonly (string | number | boolean)[] | undefined {
  return dataset.quality.find((rule) => rule.metric === 'invalidValues' && rule.column === column.name && rule.validValues !== undefined)?.validValues;
}

/**
 * Whether a file may leave the column empty: not required, and no completeness rule
 * (`nullValues`, `missingValues`) counts its empty values.
 */
export function mayBeEmpty(dataset: Dataset, column: Column): boolean {
  return !column.required && !dataset.quality.some((rule) => rule.column === column.name && (rule.metric === 'nullValues' || rule.metric === 'missingValues'));
}

/** Unique on its own, or part of the primary key (a one-column key is unique; the generator treats any key column so). */
function isUnique(column: Column): boolean {
  return column.unique || column.primaryKeyPosition !== undefined;
}

function hex(random: SeededRandom, digits: number): string {
  return Array.from({ length: digits }, () => random.integer(0, 15).toString(16)).join('');
}

function formatted(format: string, column: Column, context: ValueContext): string | undefined {
  const { random, row } = context;
  switch (format) {
    case 'email':
      return isUnique(column) ? `customer.${row + 1}@example.com` : `shopper.${random.integer(1, 99_999)}@example.com`;
    case 'uuid':
      return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${random.pick(['8', '9', 'a', 'b'])}${hex(random, 3)}-${hex(random, 12)}`;
    case 'ipv4':
      return Array.from({ length: 4 }, () => random.integer(1, 254)).join('.');
    default:
      return undefined;
  }
}

function bound(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/**
 * A number within the column's bounds, most of them small and a few near the top (as amounts and
 * counts are), with the decimal's scale or none for an integer.
 */
function numberValue(column: Column, random: SeededRandom): number {
  const { constraints, type } = column;
  const scale = type.kind === 'decimal' ? type.scale : type.kind === 'integer' ? 0 : 2;
  const step = 10 ** -scale;
  const low = bound(constraints.minimum) ?? (bound(constraints.exclusiveMinimum) === undefined ? 0 : bound(constraints.exclusiveMinimum)! + step);
  const high = bound(constraints.maximum) ?? (bound(constraints.exclusiveMaximum) === undefined ? low + 1000 : bound(constraints.exclusiveMaximum)! - step);
  const units = Math.round((low + (high - low) * random.next() ** 4) / step);
  // An integer count of steps, divided once: prints with at most `scale` fraction digits.
  return scale === 0 ? units : units / 10 ** scale;
}

function dateBetween(random: SeededRandom, from: Date, to: Date): Date {
  return new Date(from.getTime() + Math.floor(random.next() * Math.max(0, to.getTime() - from.getTime())));
}

/** Lowercase letters, as long as the column allows around 12. */
function textValue(column: Column, random: SeededRandom): string {
  const length = Math.min(column.constraints.maxLength ?? 12, Math.max(column.constraints.minLength ?? 1, 12));
  return Array.from({ length }, () => random.pick([...LOWERCASE])).join('');
}

/** A value of the column the contract accepts. Throws, naming the column, when it cannot make one. */
export function columnValue(dataset: Dataset, column: Column, context: ValueContext): SampleValue {
  const { random } = context;
  const accepted = acceptedValues(dataset, column);
  if (accepted !== undefined) return random.pick(accepted);
  const fromFormat = column.constraints.format === undefined ? undefined : formatted(column.constraints.format, column, context);
  if (fromFormat !== undefined) return fromFormat;
  try {
    if (column.constraints.pattern !== undefined) {
      return isUnique(column) ? sequencePatternValue(column.constraints.pattern, context.row) : randomPatternValue(column.constraints.pattern, random);
    }
  } catch (error) {
    throw new Error(`${dataset.names.ref}.${column.name}: ${(error as Error).message}`);
  }
  switch (column.type.kind) {
    case 'boolean':
      return random.chance(0.5);
    case 'integer':
    case 'decimal':
    case 'double':
      return numberValue(column, random);
    case 'date': {
      // Some years before the window, but never before the column's minimum.
      const minimum = typeof column.constraints.minimum === 'string' ? Date.parse(`${column.constraints.minimum}T00:00:00Z`) : -Infinity;
      const from = new Date(Math.max(minimum, context.from.getTime() - 3 * 365 * DAY_MS));
      return isoDate(dateBetween(random, from, context.from));
    }
    case 'timestamp':
      return isoTimestamp(dateBetween(random, context.from, context.to));
    case 'string':
      return textValue(column, random);
    case 'time': {
      const [hours, minutes, seconds] = [random.integer(0, 23), random.integer(0, 59), random.integer(0, 59)].map((part) => String(part).padStart(2, '0'));
      return `${hours}:${minutes}:${seconds}`;
    }
    case 'struct':
    case 'list':
      throw new Error(`${dataset.names.ref}.${column.name}: sample values for object and array columns are not supported`);
  }
}
