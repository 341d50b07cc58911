import { parse } from 'yaml';
import type { Bound } from './exclusive-bounds.ts';
import { lakehouseNameOf } from './lakehouse-name.ts';
import type { QualityMetric, Threshold } from './model.ts';
import type { RawProperty, RawQualityRule } from './raw-contract.ts';

/** One lakehouse quality rule an expectation becomes. */
export interface TranslatedRule {
  readonly metric: QualityMetric;
  /**
   * The rule's column as the contract names it (`name`): the expectation's `column`, else the
   * property the rule is attached to.
   */
  readonly column: string | null;
  readonly threshold: Threshold;
  readonly validValues?: readonly (string | number | boolean)[];
  /** For `between`: both ends of one range, so `mostly` counts a row outside either end once. */
  readonly bounds?: Partial<Record<Bound, number | string>>;
}

export type ExpectationTranslation =
  | { readonly rules: readonly TranslatedRule[] }
  /** Valid, but the lakehouse has no equivalent: reported as not evaluated. */
  | { readonly notRun: string }
  /** Contradicts the contract (a column it does not have): refused. */
  | { readonly problem: string };

/** `great-expectations`, `great_expectations`, `greatExpectations`, `gx` ... name the same engine. */
export function isGreatExpectations(engine: string | undefined): boolean {
  const name = engine?.toLowerCase().replace(/[^a-z]/g, '');
  return name === 'greatexpectations' || name === 'gx';
}

const TRANSLATED = [
  'expect_table_row_count_to_be_between',
  'expect_table_row_count_to_equal',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_unique',
  'expect_column_values_to_be_between',
];

/** Any failing row fails the rule: GE's default, `mostly` 1. */
const NO_FAILING_ROW: Threshold = { operator: 'mustBe', value: 0, unit: 'rows' };

/**
 * A `type: custom`, `engine: great-expectations` rule as the lakehouse's own rules. Its
 * `implementation` is the expectation as GE writes it (`expectation_type` or `type`, and `kwargs`),
 * as a mapping or as YAML/JSON text. `mostly` becomes a percent threshold on the failing rows.
 */
export function translateExpectation(rule: RawQualityRule, attached: RawProperty | null, properties: readonly RawProperty[]): ExpectationTranslation {
  const expectation = readImplementation(rule.implementation);
  if (expectation === undefined) return { notRun: 'its implementation is not a Great Expectations expectation (expectation_type and kwargs)' };
  const { type, kwargs } = expectation;
  if (!TRANSLATED.includes(type)) {
    return { notRun: `Great Expectations' ${type} has no lakehouse equivalent (translated: ${TRANSLATED.join(', ')})` };
  }
  if (type.startsWith('expect_table_')) {
    if (attached !== null) return { problem: `${type} checks the whole table: move this rule to the schema object's quality` };
    return rowCountRules(type, kwargs);
  }
  const named = typeof kwargs.column === 'string' ? kwargs.column : undefined;
  const property = named === undefined ? attached : propertyNamed(named, properties);
  if (property === null) return { problem: `${type} needs kwargs.column, or the rule attached to a property` };
  if (property === undefined) {
    return { problem: `kwargs.column '${named}' is not a column of this dataset (${properties.map((known) => known.name).join(', ')})` };
  }
  if (attached !== null && property !== attached) {
    return { problem: `kwargs.column '${named}' is not '${attached.name}', the property this rule is attached to` };
  }
  const column = property.name;
  const threshold = mostlyThreshold(kwargs.mostly);
  if ('problem' in threshold) return threshold;
  switch (type) {
    case 'expect_column_values_to_be_in_set': {
      const set = kwargs.value_set;
      if (!Array.isArray(set) || set.length === 0 || !set.every(isScalar)) return { problem: 'kwargs.value_set must be a non-empty list of strings, numbers or booleans' };
      return { rules: [{ metric: 'invalidValues', column, threshold, validValues: set }] };
    }
    case 'expect_column_values_to_not_be_null':
      return { rules: [{ metric: 'nullValues', column, threshold }] };
    case 'expect_column_values_to_be_unique':
      return { rules: [{ metric: 'duplicateValues', column, threshold }] };
    default:
      return betweenRules(kwargs, column, threshold);
  }
}

/**
 * The property an expectation's `column` names: Great Expectations runs against the file's column
 * (`physicalName`), and a contract's author may as well write the property's name or the
 * lakehouse's column name derived from it.
 */
function propertyNamed(name: string, properties: readonly RawProperty[]): RawProperty | undefined {
  return (
    properties.find((property) => property.name === name) ??
    properties.find((property) => property.physicalName === name) ??
    properties.find((property) => lakehouseNameOf(property.name) === name)
  );
}

function readImplementation(implementation: RawQualityRule['implementation']): { type: string; kwargs: Record<string, unknown> } | undefined {
  let value: unknown = implementation;
  if (typeof value === 'string') {
    try {
      value = parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { expectation_type: expectationType, type, kwargs } = value as Record<string, unknown>;
  const name = expectationType ?? type;
  if (typeof name !== 'string') return undefined;
  if (kwargs !== undefined && (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs))) return undefined;
  return { type: name, kwargs: (kwargs ?? {}) as Record<string, unknown> };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** `mostly: 0.95` allows 5 % failing rows: the failing percent must be at most 5. */
function mostlyThreshold(mostly: unknown): Threshold | { readonly problem: string } {
  if (mostly === undefined || mostly === null) return NO_FAILING_ROW;
  if (typeof mostly !== 'number' || !(mostly >= 0 && mostly <= 1)) return { problem: `kwargs.mostly must be a number from 0 to 1 (got ${JSON.stringify(mostly)})` };
  if (mostly === 1) return NO_FAILING_ROW;
  return { operator: 'mustBeLessOrEqualTo', value: Math.round((1 - mostly) * 100 * 1e9) / 1e9, unit: 'percent' };
}

function rowCountRules(type: string, kwargs: Record<string, unknown>): ExpectationTranslation {
  const count = (name: string) => (typeof kwargs[name] === 'number' ? (kwargs[name] as number) : undefined);
  const rule = (threshold: Threshold): ExpectationTranslation => ({ rules: [{ metric: 'rowCount', column: null, threshold }] });
  if (type === 'expect_table_row_count_to_equal') {
    const value = count('value');
    return value === undefined ? { problem: 'kwargs.value must be a number' } : rule({ operator: 'mustBe', value, unit: 'rows' });
  }
  const low = count('min_value');
  const high = count('max_value');
  if (low !== undefined && high !== undefined) {
    return low === high ? rule({ operator: 'mustBe', value: low, unit: 'rows' }) : rule({ operator: 'mustBeBetween', value: [low, high], unit: 'rows' });
  }
  if (low !== undefined) return rule({ operator: 'mustBeGreaterOrEqualTo', value: low, unit: 'rows' });
  if (high !== undefined) return rule({ operator: 'mustBeLessOrEqualTo', value: high, unit: 'rows' });
  return { notRun: `${type} without min_value or max_value checks nothing` };
}

/**
 * `min_value`/`max_value` (numbers, or date strings), exclusive with `strict_min`/`strict_max`, as
 * one rule: Great Expectations' `mostly` counts the rows outside the range, below or above.
 */
function betweenRules(kwargs: Record<string, unknown>, column: string, threshold: Threshold): ExpectationTranslation {
  const bound = (name: string) => (typeof kwargs[name] === 'number' || typeof kwargs[name] === 'string' ? (kwargs[name] as number | string) : undefined);
  const low = bound('min_value');
  const high = bound('max_value');
  if (low === undefined && high === undefined) return { notRun: 'expect_column_values_to_be_between without min_value or max_value checks nothing' };
  const bounds: Partial<Record<Bound, number | string>> = {
    ...(low === undefined ? {} : { [kwargs.strict_min === true ? 'exclusiveMinimum' : 'minimum']: low }),
    ...(high === undefined ? {} : { [kwargs.strict_max === true ? 'exclusiveMaximum' : 'maximum']: high }),
  };
  return { rules: [{ metric: 'between', column, threshold, bounds }] };
}
