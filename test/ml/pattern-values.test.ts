/** Values generated for a contract's pattern match it; a sequence gives distinct values until the pattern runs out. */
import { describe, expect, it } from 'vitest';
import { randomPatternValue, sequencePatternValue, UnsupportedPatternError } from '../../lib/ml/samples/pattern-values.ts';
import { SeededRandom } from '../../lib/ml/samples/seeded-random.ts';

const SHIPPED_PATTERNS = ['^CUS-[0-9]{6}$', '^ORD-[0-9]{8}$', '^PAY-[A-Z0-9]{10}$', '^[A-Z]{2}$', '^SKU-[A-Z]{2}[0-9]{4}$', '^[a-z]+\\.[a-z]{2,3}$'];

describe('pattern values', () => {
  it('match the pattern, at random and in sequence', () => {
    const random = new SeededRandom(7);
    for (const pattern of SHIPPED_PATTERNS) {
      const expression = new RegExp(pattern);
      for (let draw = 0; draw < 20; draw++) expect(randomPatternValue(pattern, random)).toMatch(expression);
      for (const sequence of [0, 1, 25, 99]) expect(sequencePatternValue(pattern, sequence)).toMatch(expression);
    }
  });

  it('count up like digits, so distinct sequence numbers give distinct values', () => {
    expect([0, 1, 42].map((sequence) => sequencePatternValue('^CUS-[0-9]{6}$', sequence))).toEqual(['CUS-000000', 'CUS-000001', 'CUS-000042']);
    expect(new Set(Array.from({ length: 676 }, (_unused, sequence) => sequencePatternValue('^[A-Z]{2}$', sequence))).size).toBe(676);
  });

  it('refuse a sequence past the last value, and patterns with groups, naming the pattern', () => {
    expect(() => sequencePatternValue('^[A-Z]{2}$', 676)).toThrow("cannot generate values for pattern '^[A-Z]{2}$': it has fewer than 677 distinct values");
    expect(() => randomPatternValue('^(a|b)$', new SeededRandom(1))).toThrow(UnsupportedPatternError);
  });
});
