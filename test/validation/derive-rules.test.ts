import { describe, expect, it } from 'vitest';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import type { Rule } from '../../lib/validation/rule.ts';
import { baseRuleId, suffixRepeatedIds } from '../../lib/validation/rule-ids.ts';
import { column, loadDataset } from './helpers/dataset.ts';

function summary(rules: readonly Rule[]): string[] {
  return rules.map((rule) => `${rule.id} ${rule.kind} ${rule.severity}${rule.scope === 'row' ? ` [${rule.columns.join(',')}]` : ''}`);
}

describe('rules a primary key implies', () => {
  it('a single-column key is required and unique at error severity', () => {
    const rules = deriveRules(loadDataset({ properties: [column('id', { primaryKey: true })] }));
    expect(summary(rules)).toEqual(['id.required required error [id]', 'id.unique unique error [id]']);
    expect(rules.every((rule) => rule.threshold === null)).toBe(true);
  });

  it('a composite key gets one unique rule over its columns, in key order, and each column is required', () => {
    const dataset = loadDataset({
      properties: [
        column('line', { logicalType: 'integer', primaryKey: true, primaryKeyPosition: 2 }),
        column('order_id', { primaryKey: true, primaryKeyPosition: 1 }),
      ],
    });
    expect(summary(deriveRules(dataset))).toEqual([
      'unique unique error [order_id,line]',
      'line.required required error [line]',
      'line.type type error [line]',
      'order_id.required required error [order_id]',
    ]);
  });

  it('a column of a composite key declared unique on its own keeps its own unique rule', () => {
    const dataset = loadDataset({
      properties: [
        column('order_id', { primaryKey: true, primaryKeyPosition: 1, unique: true }),
        column('line', { logicalType: 'integer', primaryKey: true, primaryKeyPosition: 2 }),
      ],
    });
    expect(summary(deriveRules(dataset))).toEqual([
      'unique unique error [order_id,line]',
      'order_id.required required error [order_id]',
      'order_id.unique unique error [order_id]',
      'line.required required error [line]',
      'line.type type error [line]',
    ]);
  });

  it('a warning duplicateValues rule on exactly the key replaces the implied unique rule', () => {
    const dataset = loadDataset({
      properties: [column('a', { primaryKey: true, primaryKeyPosition: 1 }), column('b', { primaryKey: true, primaryKeyPosition: 2 })],
      quality: [{ metric: 'duplicateValues', arguments: { properties: ['b', 'a'] }, mustBe: 0, severity: 'warning' }],
    });
    expect(summary(deriveRules(dataset))).toEqual([
      'a.required required error [a]',
      'b.required required error [b]',
      'duplicateValues duplicateValues warning [b,a]',
    ]);
  });

  it('a warning duplicateValues rule on a single key column replaces its unique rule too', () => {
    const dataset = loadDataset({
      properties: [column('id', { primaryKey: true, quality: [{ metric: 'duplicateValues', mustBe: 0, severity: 'warning' }] })],
    });
    expect(summary(deriveRules(dataset))).toEqual(['id.required required error [id]', 'id.duplicateValues duplicateValues warning [id]']);
  });

  it.each([
    ['at error severity', { metric: 'duplicateValues', arguments: { properties: ['a', 'b'] }, mustBe: 0 }],
    ['on part of the key', { metric: 'duplicateValues', arguments: { properties: ['a'] }, mustBe: 0, severity: 'warning' }],
  ])('a duplicateValues rule %s keeps the implied unique rule', (_name, rule) => {
    const dataset = loadDataset({
      properties: [column('a', { primaryKey: true, primaryKeyPosition: 1 }), column('b', { primaryKey: true, primaryKeyPosition: 2 })],
      quality: [rule],
    });
    expect(summary(deriveRules(dataset))[0]).toBe('unique unique error [a,b]');
  });
});

describe('rule ids', () => {
  it('are the contract id, else <column>.<kind>, else <kind>', () => {
    const dataset = loadDataset({
      properties: [column('v', { quality: [{ id: 'v_known', metric: 'invalidValues', arguments: { validValues: ['a'] }, mustBe: 0 }] })],
      quality: [{ metric: 'rowCount', mustBeGreaterThan: 0 }],
    });
    expect(deriveRules(dataset).map((rule) => rule.id)).toEqual(['rowCount', 'v_known']);
  });

  it('are suffixed #2, #3 when repeated, in report order', () => {
    const dataset = loadDataset({
      properties: [
        column('v', {
          required: true,
          quality: [
            { metric: 'nullValues', mustBe: 0 },
            { metric: 'nullValues', mustBeLessThan: 5, unit: 'percent' },
            { metric: 'nullValues', mustBeLessThan: 10, unit: 'percent' },
          ],
        }),
      ],
      quality: [
        { metric: 'rowCount', mustBeGreaterThan: 0 },
        { metric: 'rowCount', mustBeLessThan: 1000 },
      ],
    });
    expect(deriveRules(dataset).map((rule) => rule.id)).toEqual([
      'v.required',
      'rowCount',
      'rowCount#2',
      'v.nullValues',
      'v.nullValues#2',
      'v.nullValues#3',
    ]);
  });

  it('never collide with an id the contract already uses', () => {
    expect(suffixRepeatedIds(['a', 'a#2', 'a', 'a'])).toEqual(['a', 'a#2', 'a#3', 'a#4']);
    expect(baseRuleId(undefined, 'unique', null)).toBe('unique');
    expect(baseRuleId(undefined, 'unique', 'id')).toBe('id.unique');
    expect(baseRuleId('mine', 'unique', 'id')).toBe('mine');
  });
});

describe('constraint rules', () => {
  it('come in column order with threshold null, one per declared option', () => {
    const dataset = loadDataset({
      properties: [
        column('n', { logicalType: 'integer', required: true, logicalTypeOptions: { minimum: 0, maximum: 9, exclusiveMinimum: -1, exclusiveMaximum: 10 } }),
        column('s', { unique: true, logicalTypeOptions: { pattern: '[a-z]+', minLength: 1, maxLength: 5 } }),
      ],
    });
    const rules = deriveRules(dataset);
    expect(rules.map((rule) => rule.id)).toEqual([
      'n.required',
      'n.type',
      'n.minimum',
      'n.maximum',
      'n.exclusiveMinimum',
      'n.exclusiveMaximum',
      's.unique',
      's.pattern',
      's.minLength',
      's.maxLength',
    ]);
    expect(rules.every((rule) => rule.threshold === null && rule.severity === 'error')).toBe(true);
  });

  it('has no type rule for a string column, which any text satisfies', () => {
    expect(deriveRules(loadDataset({ properties: [column('s')] }))).toEqual([]);
  });
});

describe('freshness and class balance', () => {
  it('measures freshness on the column the element names, with a limit in seconds', () => {
    const dataset = loadDataset({
      properties: [column('a', { logicalType: 'timestamp' }), column('b', { logicalType: 'timestamp' })],
      slaProperties: [{ property: 'latency', value: 2, unit: 'd', element: 'items.b' }],
    });
    const [, , freshness] = deriveRules(dataset);
    expect(freshness).toMatchObject({
      id: 'freshness',
      scope: 'table',
      test: { measures: 'freshness', column: 'b' },
      threshold: { operator: 'mustBeLessOrEqualTo', value: 172800, unit: 'seconds' },
    });
  });

  it('without a column in the element, uses the only timestamp column', () => {
    const dataset = loadDataset({
      properties: [column('day', { logicalType: 'date' }), column('at', { logicalType: 'timestamp' })],
      slaProperties: [{ property: 'freshness', value: 1, unit: 'd', element: 'items' }],
    });
    expect(deriveRules(dataset).find((rule) => rule.kind === 'freshness')).toMatchObject({ test: { column: 'at' } });
  });

  it('takes the classes of a class balance from the column validValues, when declared', () => {
    const dataset = loadDataset({
      properties: [column('s', { quality: [{ metric: 'invalidValues', arguments: { validValues: ['x', 'y'] }, mustBe: 0 }] })],
      customProperties: [{ property: 'classBalance', value: { column: 's', minPercent: 10, severity: 'warning' } }],
    });
    expect(deriveRules(dataset).at(-1)).toMatchObject({
      id: 'classBalance',
      severity: 'warning',
      test: { measures: 'classBalance', column: 's', classes: ['x', 'y'] },
      threshold: { operator: 'mustBeGreaterOrEqualTo', value: 10, unit: 'percent' },
    });
  });

  it('takes the classes present in the file otherwise', () => {
    const dataset = loadDataset({
      properties: [column('s')],
      customProperties: [{ property: 'classBalance', value: { column: 's', minPercent: 10 } }],
    });
    expect(deriveRules(dataset).at(-1)).toMatchObject({ severity: 'error', test: { classes: null } });
  });
});
