import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnTypeOf } from '../../lib/contracts/column-type.ts';
import { didYouMean, levenshtein, nearMiss } from '../../lib/contracts/did-you-mean.ts';
import { retentionClassDays, unitSeconds } from '../../lib/contracts/durations.ts';
import { patternProblem } from '../../lib/contracts/patterns.ts';
import { resolveReference, type ReferenceLookup } from '../../lib/contracts/references.ts';
import type { RawContract } from '../../lib/contracts/raw-contract.ts';
import { comparableValue, isValueOfType } from '../../lib/contracts/values.ts';
import { parseYaml } from '../../lib/contracts/yaml-source.ts';

describe('did-you-mean', () => {
  it('measures edit distance', () => {
    expect(levenshtein('onViolaton', 'onViolation')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
  });

  it('is a metric: zero only for equal strings, symmetric, and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const distance = levenshtein(a, b);
        expect(distance === 0).toBe(a === b);
        expect(levenshtein(b, a)).toBe(distance);
        expect(distance).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it('suggests a name equal ignoring case or within two edits, and nothing for exact or far names', () => {
    const known = ['onViolation', 'unknownColumns', 'loadMode'];
    expect(nearMiss('ONVIOLATION', known)).toBe('onViolation');
    expect(nearMiss('loadMod', known)).toBe('loadMode');
    expect(nearMiss('loadMode', known)).toBeUndefined();
    expect(nearMiss('partitioning', known)).toBeUndefined();
    expect(didYouMean('unknowColums', known)).toBe("; did you mean 'unknownColumns'?");
    expect(didYouMean('elsewhere', known)).toBe('');
  });
});

describe('column types', () => {
  it('maps integer physical types to their bits and defaults to 64', () => {
    expect(columnTypeOf('integer', undefined)).toMatchObject({ type: { kind: 'integer', bits: 64 } });
    expect(columnTypeOf('integer', 'TINYINT')).toMatchObject({ type: { kind: 'integer', bits: 16 } });
    expect(columnTypeOf('integer', 'int')).toMatchObject({ type: { kind: 'integer', bits: 32 } });
  });

  it('reads decimals and rejects impossible precision or scale', () => {
    expect(columnTypeOf('number', 'decimal(38,0)')).toMatchObject({ type: { kind: 'decimal', precision: 38, scale: 0 } });
    expect(columnTypeOf('number', 'decimal(39,2)')).toEqual({ problem: expect.stringContaining('precision must be 1..38') });
    expect(columnTypeOf('number', 'decimal(4,6)')).toEqual({ problem: expect.stringContaining('scale 0..precision') });
    expect(columnTypeOf('number', 'float')).toMatchObject({ type: { kind: 'double' } });
  });

  it('rejects physical types that contradict the logical type', () => {
    expect(columnTypeOf('string', 'bigint')).toEqual({ problem: expect.stringContaining("physicalType 'bigint' does not fit logicalType string") });
    expect(columnTypeOf('timestamp', 'date')).toHaveProperty('problem');
    expect(columnTypeOf('string', 'varchar(20)')).toMatchObject({ type: { kind: 'string' } });
  });
});

describe('durations and retention classes', () => {
  it('knows the SLA units case-insensitively', () => {
    expect(unitSeconds('D')).toBe(86_400);
    expect(unitSeconds('min')).toBe(60);
    expect(unitSeconds('Years')).toBe(365 * 86_400);
    expect(unitSeconds('fortnight')).toBeUndefined();
  });

  it('maps a retention to the smallest class covering it, and beyond 7 years to forever', () => {
    const day = 86_400;
    expect(retentionClassDays(1 * day)).toBe(30);
    expect(retentionClassDays(30 * day)).toBe(30);
    expect(retentionClassDays(31 * day)).toBe(90);
    expect(retentionClassDays(366 * day)).toBe(1095);
    expect(retentionClassDays(7 * 365 * day)).toBe(2555);
    expect(retentionClassDays(7 * 365 * day + 1)).toBeUndefined();
  });
});

describe('patterns', () => {
  it('accepts patterns both ECMA and RE2 run', () => {
    expect(patternProblem('^[A-Z]{2}-\\d+$')).toBeUndefined();
  });

  it('explains lookbehind and backreferences as engine limits', () => {
    expect(patternProblem('(?<=x)y')).toContain('lookahead or lookbehind');
    expect(patternProblem('(a)\\1')).toContain('a backreference');
  });

  it('reports other RE2-only syntax errors with the RE2 message', () => {
    expect(patternProblem('\\p{Greek}\\b\\Z')).toContain('is not valid RE2 syntax');
  });
});

describe('values of a column type', () => {
  it('orders dates and timestamps, honouring offsets', () => {
    const timestamp = { kind: 'timestamp' } as const;
    expect(comparableValue('2024-01-01T01:00:00+01:00', timestamp)).toBe(comparableValue('2024-01-01T00:00:00Z', timestamp));
    expect(comparableValue('2024-01-01 00:00', timestamp)).toBe(Date.UTC(2024, 0, 1));
    expect(comparableValue('2024-02-30', { kind: 'date' })).toBeUndefined();
    expect(comparableValue('2024-01-01T25:00:00', timestamp)).toBeUndefined();
  });

  it('tells values of the type from others', () => {
    expect(isValueOfType(3, { kind: 'integer', bits: 64 })).toBe(true);
    expect(isValueOfType(3.5, { kind: 'integer', bits: 64 })).toBe(false);
    expect(isValueOfType('3', { kind: 'double' })).toBe(false);
    expect(isValueOfType(true, { kind: 'boolean' })).toBe(true);
    expect(isValueOfType('yes', { kind: 'boolean' })).toBe(false);
  });
});

describe('YAML positions', () => {
  it('points at values, at keys, and at the parent of a missing key', () => {
    const parsed = parseYaml('x.yaml', 'a:\n  b: 1\n  c: [x, y]\n');
    if (!('source' in parsed)) throw new Error('expected a parsed file');
    const { source } = parsed;
    expect(source.positionOf(['a', 'b'])).toEqual({ file: 'x.yaml', line: 2, column: 6 });
    expect(source.positionOf(['a', 'c'], 'key')).toEqual({ file: 'x.yaml', line: 3, column: 3 });
    expect(source.positionOf(['a', 'c', 1])).toEqual({ file: 'x.yaml', line: 3, column: 10 });
    expect(source.positionOf(['a', 'missing', 'deeper'])).toEqual({ file: 'x.yaml', line: 2, column: 3 });
  });

  it('refuses alias bombs as a problem instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefg'[index]}`).join(', ')}]`)].join('\n');
    const parsed = parseYaml('bomb.yaml', bomb);
    expect(parsed).toHaveProperty('problems');
  });
});

describe('reference resolution', () => {
  const contract = { schema: [{ name: 'orders', properties: [{ name: 'order_id', logicalType: 'string' }] }] } as unknown as RawContract;
  const noFiles: ReferenceLookup = { contract: () => undefined, shares: () => undefined };
  const origin = { file: 'contracts/sales/orders.yaml', domain: 'sales', contract };

  it('resolves shorthand and same-file fully qualified references', () => {
    expect(resolveReference('orders.order_id', origin, noFiles)).toEqual({
      target: { domain: 'sales', dataset: 'orders', column: 'order_id', file: 'contracts/sales/orders.yaml' },
    });
    expect(resolveReference('/schema/orders/properties/order_id', origin, noFiles)).toHaveProperty('target.column', 'order_id');
  });

  it('says which part of a reference does not resolve', () => {
    expect(resolveReference('orders.order_no', origin, noFiles)).toEqual({ problem: expect.stringContaining("has no column 'order_no'") });
    expect(resolveReference('lines.yaml#/schema/lines/properties/id', origin, noFiles)).toEqual({
      problem: expect.stringContaining('there is no contract file contracts/sales/lines.yaml'),
    });
    expect(resolveReference('not a reference', origin, noFiles)).toEqual({ problem: expect.stringContaining('must be <dataset>.<column>') });
  });

  it('requires the other domain to have a domain.yaml that shares the dataset', () => {
    const campaigns = { schema: [{ name: 'campaigns', properties: [{ name: 'id', logicalType: 'string' }] }] } as unknown as RawContract;
    const lookup = (shares: readonly string[] | undefined): ReferenceLookup => ({
      contract: (file) => (file === 'contracts/marketing/campaigns.yaml' ? campaigns : undefined),
      shares: (folder) => (folder === 'contracts/marketing' ? shares : undefined),
    });
    const reference = '../marketing/campaigns.yaml#/schema/campaigns/properties/id';
    expect(resolveReference(reference, origin, lookup(['campaigns']))).toHaveProperty('target.dataset', 'campaigns');
    expect(resolveReference(reference, origin, lookup([]))).toHaveProperty('problem', expect.stringContaining('does not share'));
    expect(resolveReference(reference, origin, lookup(undefined))).toHaveProperty('problem', expect.stringContaining('has no domain.yaml'));
  });
});
