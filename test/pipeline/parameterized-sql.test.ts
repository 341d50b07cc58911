import { describe, expect, it } from 'vitest';
import { ParameterizedSql, type SqlArgument } from '../../lib/pipeline/parameterized-sql.ts';
import { athena } from '../../lib/sql/athena.ts';
import { duckdb } from '../../lib/sql/duckdb.ts';
import { evaluateStatesFormat, statesFormatCall } from './states-format.ts';

const DAY: SqlArgument = { path: '$.day', pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, description: 'a day' };
const TAG: SqlArgument = { path: '$.meta.tag', pattern: /^[a-z]+$/, description: 'a tag' };

/** A statement with literal braces (a DuckDB struct, a JSON text) around its values. */
const withBraces = new ParameterizedSql<'day' | 'tag'>('braces', { day: DAY, tag: TAG }, (dialect, value) =>
  [
    `SELECT {'tag': ${value('tag')}} AS ${dialect.identifier('s')}, '{"day": "x"}' AS j`,
    `WHERE d = DATE ${value('day')} AND t = ${value('tag')}`,
  ].join('\n'),
);

describe('ParameterizedSql', () => {
  it('escapes literal braces in the template, so only the placeholders are formatted', () => {
    expect(withBraces.template).toBe(`SELECT \\{'tag': '{}'\\} AS "s", '\\{"day": "x"\\}' AS j\nWHERE d = DATE '{}' AND t = '{}'`);
    expect(withBraces.argumentPaths).toEqual(['$.meta.tag', '$.day', '$.meta.tag']);
  });

  it('formats into the same text it renders for Athena', () => {
    const input = { day: '2026-01-31', meta: { tag: 'gold' } };
    const formatted = evaluateStatesFormat(statesFormatCall(withBraces.template, withBraces.argumentPaths), input);
    expect(formatted).toBe(withBraces.render(athena, { day: '2026-01-31', tag: 'gold' }));
    expect(withBraces.valuesOf(formatted)).toEqual({ day: '2026-01-31', tag: 'gold' });
  });

  it('renders each dialect from the one builder', () => {
    const rendered = withBraces.render(duckdb, { day: '2026-01-31', tag: 'gold' });
    expect(rendered).toBe(`SELECT {'tag': 'gold'} AS "s", '{"day": "x"}' AS j\nWHERE d = DATE '2026-01-31' AND t = 'gold'`);
  });

  it('refuses a value with a quote, brace or backslash even when its pattern would allow it', () => {
    const loose = new ParameterizedSql<'any'>('loose', { any: { path: '$.any', pattern: /^.*$/, description: 'anything' } }, (_d, value) => `SELECT ${value('any')}`);
    for (const bad of ["it's", 'a{}', 'back\\slash']) {
      expect(() => loose.render(athena, { any: bad })).toThrow(/'any' must be anything/);
    }
    expect(loose.render(athena, { any: 'fine' })).toBe("SELECT 'fine'");
  });

  it('lists every bad value at once', () => {
    expect(() => withBraces.render(athena, { day: 'today', tag: 'Gold' })).toThrow(/'day' must be a day, got "today"; 'tag' must be a tag, got "Gold"/);
  });

  it('refuses a statement with a backslash, which AWS and the local interpreter format differently', () => {
    expect(() => new ParameterizedSql<'tag'>('slash', { tag: TAG }, (_d, value) => `SELECT regexp_like(${value('tag')}, '\\d')`)).toThrow(
      /slash: the statement contains a backslash/,
    );
  });
});
