import fc from 'fast-check';
import { OPERATORS } from '../../lib/contracts/contract-schema.ts';
import type { FuzzContract } from './fuzz-contract.ts';
import type { OracleColumn, OracleContract, OracleQuality, OracleThreshold, OracleType } from './rule-oracle.ts';

/**
 * Values drawn from small pools: mostly clean ones, so rules pass often enough for thresholds to
 * matter, and awkward ones (blanks, signs, fractions, leading zeros, out-of-range integers,
 * missing-value words, non-ASCII characters), so they fail too.
 */
const CLEAN_VALUES: Readonly<Record<OracleType, readonly string[]>> = {
  string: ['a', 'b', 'ab', 'abc'],
  integer: ['0', '1', '2', '5', '7', '12'],
  boolean: ['true', 'false'],
};
const AWKWARD_VALUES: Readonly<Record<OracleType, readonly string[]>> = {
  string: ['B', '', 'N/A', 'null', 'zz9', '\u00e9', '\ud83d\ude00', ' a', '10'],
  integer: ['-3', ' 7', '+4', '1.5', 'x', '', '007', '99999999999999999999'],
  boolean: ['T', 'f', ' 1 ', '0', 'FALSE', 'yes', '', '\ttrue'],
};
const ALL_VALUES = (type: OracleType) => [...CLEAN_VALUES[type], ...AWKWARD_VALUES[type]];

function cell(type: OracleType): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...CLEAN_VALUES[type]), weight: 6 },
    { arbitrary: fc.constantFrom(...AWKWARD_VALUES[type]), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
}

/** Patterns RE2 and ECMAScript read alike. */
const PATTERNS = ['a+', '[a-z]*', 'ab?c?', '[0-9]+', '.*b', 'a|b', '^a.*$', '.'];

/** A quality rule before it is given its id. */
type UnnamedQuality = OracleQuality extends infer Rule ? (Rule extends unknown ? Omit<Rule, 'id'> : never) : never;

const severities = fc.constantFrom<'error' | 'warning'>('error', 'warning');

function thresholds(unit: 'rows' | 'percent'): fc.Arbitrary<OracleThreshold> {
  // Values a few rows can measure exactly, so thresholds sit on the boundary often.
  const value = unit === 'percent' ? fc.constantFrom(0, 10, 20, 25, 40, 50, 60, 75, 80) : fc.integer({ min: 0, max: 4 });
  // A between range needs low < high.
  const width = unit === 'percent' ? fc.constantFrom(5, 10, 25, 50) : fc.integer({ min: 1, max: 2 });
  return fc.record({ operator: fc.constantFrom(...OPERATORS), low: value, width }).map(({ operator, low, width }) => {
    const start = Math.min(low, 100 - width);
    return { operator, value: operator === 'mustBeBetween' || operator === 'mustNotBeBetween' ? ([start, start + width] as const) : low, unit };
  });
}
const anyThreshold = fc.constantFrom<'rows' | 'percent'>('rows', 'percent').chain(thresholds);

const smallInteger = fc.integer({ min: -2, max: 10 });
/** Lower bounds below upper ones: the loader refuses bounds no value can meet. */
const lowBound = fc.integer({ min: -2, max: 4 });
const highBound = fc.integer({ min: 6, max: 10 });

/** True one time in four: a column with every constraint would fail on nearly any row. */
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });

function generatedColumn(name: string, type: OracleType): fc.Arbitrary<OracleColumn> {
  const options: Record<string, fc.Arbitrary<number | string>> = {
    integer: { minimum: lowBound, maximum: highBound, exclusiveMinimum: lowBound, exclusiveMaximum: highBound },
    string: { minLength: fc.integer({ min: 0, max: 2 }), maxLength: fc.integer({ min: 2, max: 4 }), pattern: fc.constantFrom(...PATTERNS) },
    boolean: {},
  }[type];
  return fc
    .record({ required: rarely, unique: rarely, chosen: fc.subarray(Object.keys(options), { maxLength: Math.min(2, Object.keys(options).length) }) })
    .chain(({ required, unique, chosen }) =>
      fc.record(Object.fromEntries(chosen.map((option) => [option, options[option]!]))).map((picked) => ({ name, type, required, unique, ...picked })),
    );
}

function columnQuality(column: OracleColumn): fc.Arbitrary<UnnamedQuality> {
  const base = { column: fc.constant(column.name), severity: severities, threshold: anyThreshold };
  const pool = ALL_VALUES(column.type);
  const validValues: fc.Arbitrary<readonly (string | number | boolean)[]> = {
    integer: fc.uniqueArray(smallInteger, { minLength: 1, maxLength: 4 }),
    string: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 4 }),
    boolean: fc.uniqueArray(fc.boolean(), { minLength: 1, maxLength: 2 }),
  }[column.type];
  return fc.oneof(
    fc.record({ ...base, metric: fc.constant('nullValues' as const) }),
    fc.record(
      { ...base, metric: fc.constant('missingValues' as const), missingValues: fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 3 }) },
      { requiredKeys: ['column', 'severity', 'threshold', 'metric'] },
    ),
    fc.record({ ...base, metric: fc.constant('invalidValues' as const), validValues }),
    ...(column.type === 'string' ? [fc.record({ ...base, metric: fc.constant('invalidValues' as const), pattern: fc.constantFrom(...PATTERNS) })] : []),
    fc.record({ severity: severities, threshold: anyThreshold, metric: fc.constant('duplicateValues' as const), columns: fc.constant([column.name]) }),
  );
}

/** A contract of one to three string, integer or boolean columns with random constraints and quality rules, and rows for it. */
export const oracleCases: fc.Arbitrary<{ contract: OracleContract; rows: (string | null)[][] }> = fc
  .array(fc.constantFrom<OracleType>('string', 'integer', 'boolean'), { minLength: 1, maxLength: 3 })
  .chain((types) => fc.tuple(...types.map((type, index) => generatedColumn(`c${index}`, type))))
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      columnQuality: fc.array(fc.constantFrom(...columns).chain(columnQuality), { maxLength: 4 }),
      compositeKey: columns.length > 1 ? fc.option(fc.record({ severity: severities, threshold: anyThreshold })) : fc.constant(null),
      rowCount: fc.option(fc.record({ severity: severities, threshold: thresholds('rows') })),
      onViolation: fc.constantFrom<'quarantine-file' | 'quarantine-rows'>('quarantine-file', 'quarantine-rows'),
      rows: fc.array(fc.tuple(...columns.map((column) => cell(column.type))), { minLength: 1, maxLength: 10 }),
    }),
  )
  .map(({ columns, columnQuality, compositeKey, rowCount, onViolation, rows }) => {
    const quality: UnnamedQuality[] = [
      ...columnQuality,
      ...(compositeKey === null ? [] : [{ ...compositeKey, metric: 'duplicateValues' as const, columns: columns.slice(0, 2).map((column) => column.name) }]),
      ...(rowCount === null ? [] : [{ ...rowCount, metric: 'rowCount' as const }]),
    ];
    return {
      contract: { columns, onViolation, quality: quality.map((rule, index) => ({ ...rule, id: `q${index + 1}` }) as OracleQuality) },
      rows: rows.map((row) => [...row]),
    };
  });

/** The ODCS quality entry of a rule. */
function qualityEntry(rule: OracleQuality): Record<string, unknown> {
  const args =
    rule.metric === 'missingValues' && rule.missingValues !== undefined
      ? { missingValues: rule.missingValues }
      : rule.metric === 'invalidValues'
        ? { ...(rule.validValues && { validValues: rule.validValues }), ...(rule.pattern && { pattern: rule.pattern }) }
        : rule.metric === 'duplicateValues' && rule.columns.length > 1
          ? { properties: rule.columns }
          : undefined;
  return {
    id: rule.id,
    metric: rule.metric,
    ...(args && { arguments: args }),
    [rule.threshold.operator]: rule.threshold.value,
    unit: rule.threshold.unit,
    severity: rule.severity,
  };
}

const OPTIONS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern'] as const;

/** The contract as a user writes it: constraints in `logicalTypeOptions`, column rules beside their column, key rules on the schema object. */
export function oracleContractSpec(contract: OracleContract): FuzzContract {
  const onColumn = (rule: OracleQuality) => ('column' in rule ? rule.column : 'columns' in rule && rule.columns.length === 1 ? rule.columns[0] : undefined);
  const properties = contract.columns.map((column) => {
    const options = Object.fromEntries(OPTIONS.filter((option) => column[option] !== undefined).map((option) => [option, column[option]]));
    const quality = contract.quality.filter((rule) => onColumn(rule) === column.name).map(qualityEntry);
    return {
      name: column.name,
      logicalType: column.type,
      ...(column.required && { required: true }),
      ...(column.unique && { unique: true }),
      ...(Object.keys(options).length > 0 && { logicalTypeOptions: options }),
      ...(quality.length > 0 && { quality }),
    };
  });
  return {
    format: 'json',
    onViolation: contract.onViolation,
    properties,
    quality: contract.quality.filter((rule) => onColumn(rule) === undefined).map(qualityEntry),
  };
}
