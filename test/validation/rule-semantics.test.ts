import { describe, expect, it } from 'vitest';
import type { RuleResult } from '../../lib/validation/report.ts';
import { column, loadDataset, type ContractSpec } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

type Rows = readonly (readonly (string | null)[])[];

interface Case {
  readonly name: string;
  readonly contract: ContractSpec;
  readonly rows: Rows;
  readonly rule: string;
  readonly expected: Partial<RuleResult>;
  readonly ingestTime?: Date;
}

async function ruleResult({ contract, rows, rule, ingestTime }: Case): Promise<RuleResult> {
  const { report } = await validateRows(loadDataset(contract), rows, ingestTime === undefined ? {} : { ingestTime });
  const result = report.rules.find((candidate) => candidate.id === rule);
  if (result === undefined) throw new Error(`no rule ${rule} in ${report.rules.map((candidate) => candidate.id).join(', ')}`);
  return result;
}

const one = (name: string, fields: Record<string, unknown> = {}): ContractSpec => ({ properties: [column(name, fields)] });
const rowsOf = (...values: (string | null)[]): Rows => values.map((value) => [value]);
const quality = (rule: Record<string, unknown>): ContractSpec => ({ properties: [column('v', { quality: [rule] })] });

/** One row per bullet of DESIGN.md "Validation semantics". */
const semantics: Case[] = [
  {
    name: 'a percent threshold counts against non-null values (2 invalid of 4 non-null is 50 %, not 2 of 6)',
    contract: quality({ metric: 'invalidValues', arguments: { validValues: ['a'] }, mustBeLessThan: 40, unit: 'percent' }),
    rows: rowsOf('a', 'a', 'x', 'y', null, null),
    rule: 'v.invalidValues',
    expected: { passed: false, failedCount: 2, failedPercent: 50, observed: 50 },
  },
  {
    name: 'a null-values percent counts against all rows (1 null of 4 rows is 25 %)',
    contract: quality({ metric: 'nullValues', mustBeLessOrEqualTo: 25, unit: 'percent' }),
    rows: rowsOf(null, 'a', 'b', 'c'),
    rule: 'v.nullValues',
    expected: { passed: true, failedCount: 1, failedPercent: 25, observed: 25 },
  },
  {
    name: 'a missing-values percent counts against all rows',
    contract: quality({ metric: 'missingValues', mustBeLessThan: 50, unit: 'percent' }),
    rows: rowsOf('', 'N/A', 'a', 'b'),
    rule: 'v.missingValues',
    expected: { passed: false, failedCount: 2, failedPercent: 50, observed: 50 },
  },
  {
    name: 'nulls are not duplicates',
    contract: one('v', { unique: true }),
    rows: rowsOf(null, null, 'a', 'b'),
    rule: 'v.unique',
    expected: { passed: true, failedCount: 0 },
  },
  {
    name: 'a uniqueness rule counts every row whose key appears more than once',
    contract: one('v', { unique: true }),
    rows: rowsOf('a', 'a', 'a', 'b', 'c', 'c'),
    rule: 'v.unique',
    expected: { passed: false, failedCount: 5, observed: 5 },
  },
  {
    name: 'a value that does not parse is a type failure, counted, and no other rule sees it',
    contract: one('v', { logicalType: 'integer', logicalTypeOptions: { minimum: 5 } }),
    rows: rowsOf('x', '3', '7', '1.5'),
    rule: 'v.type',
    expected: { passed: false, failedCount: 2, failedPercent: 50 },
  },
  {
    name: 'other rules on a column ignore its unparsable values',
    contract: one('v', { logicalType: 'integer', logicalTypeOptions: { minimum: 5 } }),
    rows: rowsOf('x', '3', '7', '1.5'),
    rule: 'v.minimum',
    expected: { passed: false, failedCount: 1, failedPercent: 50 },
  },
  {
    name: 'patterns match the whole value',
    contract: one('v', { logicalTypeOptions: { pattern: '[a-z]+-[0-9]' } }),
    rows: rowsOf('ab-1', 'ab-12', 'Xab-1', 'ab-1 '),
    rule: 'v.pattern',
    expected: { passed: false, failedCount: 3 },
  },
];

/** One row per rule kind, on small files; every one of them fails exactly the rows expected. */
const kinds: Case[] = [
  { name: 'required', contract: one('v', { required: true }), rows: rowsOf('a', null), rule: 'v.required', expected: { kind: 'required', passed: false, failedCount: 1, failedPercent: 50, threshold: null } },
  { name: 'type (boolean)', contract: one('v', { logicalType: 'boolean' }), rows: rowsOf('true', 'F', 'maybe'), rule: 'v.type', expected: { kind: 'type', passed: false, failedCount: 1 } },
  { name: 'type (timestamp)', contract: one('v', { logicalType: 'timestamp' }), rows: rowsOf('2024-01-01T00:00:00Z', '2024-01-01 00:00:00+01:00', '01/02/2024'), rule: 'v.type', expected: { passed: false, failedCount: 1 } },
  { name: 'unique', contract: one('v', { unique: true }), rows: rowsOf('a', 'b', 'b'), rule: 'v.unique', expected: { kind: 'unique', passed: false, failedCount: 2 } },
  { name: 'unique on typed values (01 and 1 are one integer)', contract: one('v', { logicalType: 'integer', unique: true }), rows: rowsOf('01', '1', '2'), rule: 'v.unique', expected: { passed: false, failedCount: 2 } },
  { name: 'minimum compares numbers, not text', contract: one('v', { logicalType: 'integer', logicalTypeOptions: { minimum: 9 } }), rows: rowsOf('10', '9', '8'), rule: 'v.minimum', expected: { kind: 'minimum', passed: false, failedCount: 1 } },
  { name: 'maximum (decimal)', contract: one('v', { logicalType: 'number', physicalType: 'decimal(10,2)', logicalTypeOptions: { maximum: 100 } }), rows: rowsOf('100.00', '100.01', '-5'), rule: 'v.maximum', expected: { kind: 'maximum', passed: false, failedCount: 1 } },
  { name: 'exclusiveMinimum excludes the bound', contract: one('v', { logicalType: 'number', logicalTypeOptions: { exclusiveMinimum: 0 } }), rows: rowsOf('0', '0.001', '-1'), rule: 'v.exclusiveMinimum', expected: { kind: 'exclusiveMinimum', passed: false, failedCount: 2 } },
  { name: 'exclusiveMaximum excludes the bound', contract: one('v', { logicalType: 'integer', logicalTypeOptions: { exclusiveMaximum: 10 } }), rows: rowsOf('9', '10', '11'), rule: 'v.exclusiveMaximum', expected: { kind: 'exclusiveMaximum', passed: false, failedCount: 2 } },
  { name: 'minimum on dates', contract: one('v', { logicalType: 'date', logicalTypeOptions: { minimum: '2015-01-01' } }), rows: rowsOf('2014-12-31', '2015-01-01', '2030-01-01'), rule: 'v.minimum', expected: { passed: false, failedCount: 1 } },
  { name: 'maximum on timestamps with offsets', contract: one('v', { logicalType: 'timestamp', logicalTypeOptions: { maximum: '2024-01-01T00:00:00Z' } }), rows: rowsOf('2024-01-01T01:00:00+02:00', '2024-01-01T00:30:00Z'), rule: 'v.maximum', expected: { passed: false, failedCount: 1 } },
  { name: 'pattern', contract: one('v', { logicalTypeOptions: { pattern: '^[A-Z]{2}$' } }), rows: rowsOf('DE', 'de', 'DEU', null), rule: 'v.pattern', expected: { kind: 'pattern', passed: false, failedCount: 2, failedPercent: (2 / 3) * 100 } },
  { name: 'minLength counts characters', contract: one('v', { logicalTypeOptions: { minLength: 3 } }), rows: rowsOf('héé', 'ab', ''), rule: 'v.minLength', expected: { kind: 'minLength', passed: false, failedCount: 2 } },
  { name: 'maxLength', contract: one('v', { logicalTypeOptions: { maxLength: 2 } }), rows: rowsOf('ab', 'abc'), rule: 'v.maxLength', expected: { kind: 'maxLength', passed: false, failedCount: 1 } },
  { name: 'nullValues in rows', contract: quality({ metric: 'nullValues', mustBeLessThan: 2 }), rows: rowsOf(null, null, 'a'), rule: 'v.nullValues', expected: { kind: 'nullValues', passed: false, failedCount: 2, observed: 2, threshold: { operator: 'mustBeLessThan', value: 2, unit: 'rows' } } },
  { name: 'missingValues with the default list', contract: quality({ metric: 'missingValues', mustBe: 0 }), rows: rowsOf('', 'null', 'NULL', 'n/a', 'N/A', null, 'none'), rule: 'v.missingValues', expected: { kind: 'missingValues', passed: false, failedCount: 6 } },
  { name: 'missingValues with its own list', contract: quality({ metric: 'missingValues', arguments: { missingValues: ['unknown'] }, mustBe: 0 }), rows: rowsOf('unknown', '', null), rule: 'v.missingValues', expected: { passed: false, failedCount: 2 } },
  { name: 'invalidValues with validValues', contract: quality({ metric: 'invalidValues', arguments: { validValues: ['a', 'b'] }, mustBe: 0 }), rows: rowsOf('a', 'b', 'c', null), rule: 'v.invalidValues', expected: { kind: 'invalidValues', passed: false, failedCount: 1 } },
  { name: 'invalidValues with typed validValues', contract: { properties: [column('v', { logicalType: 'integer', quality: [{ metric: 'invalidValues', arguments: { validValues: [1, 2] }, mustBe: 0 }] })] }, rows: rowsOf('01', '2', '3', 'x'), rule: 'v.invalidValues', expected: { passed: false, failedCount: 1 } },
  { name: 'invalidValues with a pattern', contract: quality({ metric: 'invalidValues', arguments: { pattern: '[0-9]+' }, mustBe: 0 }), rows: rowsOf('12', '1a', 'a1'), rule: 'v.invalidValues', expected: { passed: false, failedCount: 2 } },
  { name: 'duplicateValues on a column', contract: quality({ metric: 'duplicateValues', mustBe: 0 }), rows: rowsOf('a', 'a', 'b', null, null), rule: 'v.duplicateValues', expected: { kind: 'duplicateValues', passed: false, failedCount: 2, failedPercent: (2 / 3) * 100 } },
  {
    name: 'duplicateValues over several columns, nulls never duplicates',
    contract: { properties: [column('a'), column('b')], quality: [{ metric: 'duplicateValues', arguments: { properties: ['a', 'b'] }, mustBe: 0 }] },
    rows: [['x', '1'], ['x', '1'], ['x', '2'], ['y', '1'], [null, '1'], [null, '1']],
    rule: 'duplicateValues',
    expected: { kind: 'duplicateValues', column: null, passed: false, failedCount: 2, failedPercent: 50 },
  },
  { name: 'rowCount', contract: { properties: [column('v')], quality: [{ metric: 'rowCount', mustBeGreaterOrEqualTo: 3 }] }, rows: rowsOf('a', 'b'), rule: 'rowCount', expected: { kind: 'rowCount', column: null, passed: false, failedCount: 0, failedPercent: 0, observed: 2 } },
  { name: 'rowCount of an empty file', contract: { properties: [column('v')], quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }] }, rows: [], rule: 'rowCount', expected: { passed: false, observed: 0 } },
  {
    name: 'sql counting rows where a condition holds, judged by row over typed columns',
    contract: { properties: [column('n', { logicalType: 'integer' })], quality: [{ type: 'sql', query: 'SELECT count(*) FROM {object} WHERE n > 5', mustBe: 0 }] },
    rows: rowsOf('10', '9', '3'),
    rule: 'sql',
    expected: { kind: 'sql', passed: false, observed: 2, failedCount: 2 },
  },
  {
    name: 'sql of another form, measured over the typed view',
    contract: { properties: [column('n', { logicalType: 'integer' })], quality: [{ type: 'sql', query: 'SELECT max(n) FROM {object}', mustBeLessThan: 5 }] },
    rows: rowsOf('10', '9', '3'),
    rule: 'sql',
    expected: { kind: 'sql', passed: false, observed: 10, failedCount: 0 },
  },
  {
    name: 'freshness: seconds from the newest value to the ingest time',
    contract: { properties: [column('ts', { logicalType: 'timestamp' })], slaProperties: [{ property: 'freshness', value: 1, unit: 'h', element: 'items.ts' }] },
    rows: rowsOf('2026-11-21T04:00:00Z', '2026-11-21T06:30:00+01:00', null),
    ingestTime: new Date('2026-11-21T06:00:00Z'),
    rule: 'freshness',
    expected: { kind: 'freshness', passed: true, observed: 1800, threshold: { operator: 'mustBeLessOrEqualTo', value: 3600, unit: 'seconds' } },
  },
  {
    name: 'freshness fails when the newest value is older than allowed',
    contract: { properties: [column('ts', { logicalType: 'timestamp' })], slaProperties: [{ property: 'freshness', value: 1, unit: 'h' }] },
    rows: rowsOf('2026-11-21T04:59:59Z'),
    ingestTime: new Date('2026-11-21T06:00:00Z'),
    rule: 'freshness',
    expected: { passed: false, observed: 3601 },
  },
  {
    name: 'freshness without any timestamp fails',
    contract: { properties: [column('ts', { logicalType: 'timestamp' })], slaProperties: [{ property: 'freshness', value: 1, unit: 'd' }] },
    rows: rowsOf(null, 'not a time'),
    rule: 'freshness',
    expected: { passed: false, observed: null },
  },
  {
    name: 'classBalance over declared classes: an absent class is 0 %',
    contract: {
      properties: [column('s', { quality: [{ metric: 'invalidValues', arguments: { validValues: ['a', 'b', 'c'] }, mustBe: 0, severity: 'warning' }] })],
      customProperties: [{ property: 'classBalance', value: { column: 's', minPercent: 10 } }],
    },
    rows: rowsOf('a', 'a', 'b', null),
    rule: 'classBalance',
    expected: { kind: 'classBalance', column: null, passed: false, observed: 0, threshold: { operator: 'mustBeGreaterOrEqualTo', value: 10, unit: 'percent' } },
  },
  {
    name: 'classBalance over the values present, of non-null rows',
    contract: { properties: [column('s')], customProperties: [{ property: 'classBalance', value: { column: 's', minPercent: 25, severity: 'warning' } }] },
    rows: rowsOf('a', 'a', 'a', 'b', null, null),
    rule: 'classBalance',
    expected: { severity: 'warning', passed: true, observed: 25 },
  },
];

describe('validation semantics (DESIGN.md), executed on DuckDB', () => {
  it.each(semantics)('$name', async (testCase) => {
    expect(await ruleResult(testCase)).toMatchObject(testCase.expected);
  });
});

describe('every rule kind, executed on DuckDB', () => {
  it.each(kinds)('$name', async (testCase) => {
    expect(await ruleResult(testCase)).toMatchObject(testCase.expected);
  });
});

describe('severity', () => {
  const contract = (severity: string): ContractSpec => quality({ metric: 'nullValues', mustBe: 0, severity });

  it('error fails the file', async () => {
    const { report } = await validateRows(loadDataset(contract('error')), rowsOf(null, 'a'));
    expect(report.passed).toBe(false);
  });

  it('warning fails the rule and passes the file', async () => {
    const { report } = await validateRows(loadDataset(contract('warning')), rowsOf(null, 'a'));
    expect(report.rules.find((rule) => rule.id === 'v.nullValues')).toMatchObject({ severity: 'warning', passed: false });
    expect(report.passed).toBe(true);
    expect(report.rowsQuarantined).toBe(0);
  });
});

describe('a sql rule that cannot run', () => {
  it('fails with the reason and leaves the other rules measured', async () => {
    const dataset = loadDataset({
      properties: [column('v', { required: true })],
      quality: [{ id: 'broken_sql', type: 'sql', query: 'SELECT count(*) FROM {object} WHERE no_such_column > 1', mustBe: 0 }],
    });
    const { report } = await validateRows(dataset, rowsOf('a', null));
    const broken = report.rules.find((rule) => rule.id === 'broken_sql');
    expect(broken).toMatchObject({ passed: false, observed: null });
    expect(broken?.message).toMatch(/^query failed: .*no_such_column/s);
    expect(report.rules.find((rule) => rule.id === 'v.required')).toMatchObject({ failedCount: 1 });
  });
});
