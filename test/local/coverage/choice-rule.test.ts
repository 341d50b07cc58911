import { describe, expect, it } from 'vitest';
import { matchingChoice } from '../../../lib/local/coverage/choice-rule.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import type { AslState } from '../../../lib/local/stepfunctions/states.ts';

type ChoiceState = Extract<AslState, { Type: 'Choice' }>;

/** Whether one rule (a loose record: ASL allows operands the library's types leave out) matches `input`. */
function matches(rule: Record<string, unknown>, input: JsonValue): boolean {
  const state = { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' } as ChoiceState;
  return matchingChoice('Check', state, input) === 1;
}

describe('matchingChoice', () => {
  it('compares strings, numbers, booleans and timestamps, an operand of another type comparing false', () => {
    expect(matches({ Variable: '$.s', StringEquals: 'a' }, { s: 'a' })).toBe(true);
    expect(matches({ Variable: '$.s', StringEquals: '1' }, { s: 1 })).toBe(false);
    expect(matches({ Variable: '$.s', StringLessThan: 'b' }, { s: 'a' })).toBe(true);
    expect(matches({ Variable: '$.n', NumericGreaterThanEquals: 3 }, { n: 3 })).toBe(true);
    expect(matches({ Variable: '$.n', NumericGreaterThan: 3 }, { n: 3 })).toBe(false);
    expect(matches({ Variable: '$.n', NumericLessThan: 3 }, { n: '2' })).toBe(false);
    expect(matches({ Variable: '$.b', BooleanEquals: false }, { b: false })).toBe(true);
    expect(matches({ Variable: '$.b', BooleanEquals: false }, { b: null })).toBe(false);
    expect(matches({ Variable: '$.t', TimestampGreaterThan: '2026-01-01T00:00:00Z' }, { t: '2026-01-01T01:00:00+00:30' })).toBe(true);
    expect(matches({ Variable: '$.t', TimestampEquals: '2026-01-01T00:00:00Z' }, { t: '2026-01-01' })).toBe(false);
  });

  it('reads the operand of a ...Path operator from the input', () => {
    expect(matches({ Variable: '$.n', NumericEqualsPath: '$.limit' }, { n: 4, limit: 4 })).toBe(true);
    expect(matches({ Variable: "$['a b'][1]", StringEqualsPath: '$.other' }, { 'a b': ['x', 'y'], other: 'y' })).toBe(true);
  });

  it('tests presence and types, including their false forms', () => {
    expect(matches({ Variable: '$.x', IsPresent: true }, {})).toBe(false);
    expect(matches({ Variable: '$.x', IsPresent: false }, {})).toBe(true);
    expect(matches({ Variable: '$.x', IsNull: false }, { x: 1 })).toBe(true);
    expect(matches({ Variable: '$.x', IsNumeric: true }, { x: 1 })).toBe(true);
    expect(matches({ Variable: '$.x', IsString: false }, { x: 1 })).toBe(true);
    expect(matches({ Variable: '$.x', IsTimestamp: true }, { x: '2026-12-05T13:00:00.123Z' })).toBe(true);
  });

  it('combines rules with And, Or and Not, stopping at the first decisive one as Step Functions does', () => {
    const presentAndLarge = { And: [{ Variable: '$.n', IsPresent: true }, { Variable: '$.n', NumericGreaterThan: 1 }] };
    expect(matches(presentAndLarge, {})).toBe(false);
    expect(matches(presentAndLarge, { n: 2 })).toBe(true);
    expect(matches({ Or: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', BooleanEquals: true }] }, { a: false, b: true })).toBe(true);
    expect(matches({ Not: { Variable: '$.a', StringEquals: 'x' } }, { a: 'y' })).toBe(true);
  });

  it('matches wildcards, a backslash escaping a star or a backslash', () => {
    expect(matches({ Variable: '$.k', StringMatches: 'sales/*.csv' }, { k: 'sales/a/b.csv' })).toBe(true);
    expect(matches({ Variable: '$.k', StringMatches: 'sales/*.csv' }, { k: 'sales/a.csvx' })).toBe(false);
    expect(matches({ Variable: '$.k', StringMatches: 'a\\*b' }, { k: 'a*b' })).toBe(true);
    expect(matches({ Variable: '$.k', StringMatches: 'a\\*b' }, { k: 'axb' })).toBe(false);
    expect(matches({ Variable: '$.k', StringMatches: 'a\\\\b' }, { k: 'a\\b' })).toBe(true);
  });

  it('evaluates rules in order on the InputPath of the input, falling back to Default or to nothing', () => {
    const state = {
      Type: 'Choice',
      InputPath: '$.detail',
      Choices: [
        { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
        { Variable: '$.n', NumericGreaterThan: 0, Next: 'Big' },
      ],
      Default: 'Zero',
    } as ChoiceState;
    expect(matchingChoice('Check', state, { detail: { n: 11 } })).toBe(1);
    expect(matchingChoice('Check', state, { detail: { n: 1 } })).toBe(2);
    expect(matchingChoice('Check', state, { detail: { n: 0 } })).toBe('Default');
    const { Default: _default, ...withoutDefault } = state;
    expect(matchingChoice('Check', withoutDefault as ChoiceState, { detail: { n: 0 } })).toBeUndefined();
  });

  it('throws, naming the Choice, on a missing Variable or a path into the context object', () => {
    expect(() => matches({ Variable: '$.missing', StringEquals: 'a' }, {})).toThrow(
      'Choice state Check: Variable $.missing is not in the input (a runtime error in Step Functions)',
    );
    expect(() => matches({ Variable: '$$.Execution.Name', StringEquals: 'a' }, {})).toThrow(
      'Choice state Check: path $$.Execution.Name: reads the context object, which execution events do not record',
    );
    expect(() => matches({ Variable: '$.items[*]', StringEquals: 'a' }, {})).toThrow("'[*]' is not a field name or array index");
  });
});
