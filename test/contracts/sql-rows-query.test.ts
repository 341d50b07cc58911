import { describe, expect, it } from 'vitest';
import { sqlRowsQuery } from '../../lib/contracts/sql-rows-query.ts';

describe('sqlRowsQuery', () => {
  it.each([
    ['SELECT COUNT(*) FROM {object} WHERE qty > 100', 'SELECT _row FROM {object} WHERE qty > 100'],
    ['select count( * )\n  from ${model}\n where {property} < 0;', 'select _row\n  from ${model}\n where {property} < 0'],
    ['SELECT count(1) AS bad FROM {object} AS o WHERE o.qty IS NULL ; -- trailing', 'SELECT _row FROM {object} AS o WHERE o.qty IS NULL'],
    ["select count(*) from {object} where note = 'GROUP BY; LIMIT 1' /* (select 1) */ and qty > 1", "select _row from {object} where note = 'GROUP BY; LIMIT 1' /* (select 1) */ and qty > 1"],
    ["select count(*) from {object} where name = '😀' and qty > 1;", "select _row from {object} where name = '😀' and qty > 1"],
  ])('selects the rows %j counts', (query, rowsQuery) => {
    expect(sqlRowsQuery(query)).toBe(rowsQuery);
  });

  it.each([
    ['no WHERE', 'SELECT count(*) FROM {object}'],
    ['a subquery', 'SELECT count(*) FROM {object} WHERE qty > (SELECT avg(qty) FROM {object})'],
    ['IN a subquery', 'SELECT count(*) FROM {object} WHERE qty IN (SELECT 1)'],
    ['IN VALUES', 'SELECT count(*) FROM {object} WHERE qty IN (VALUES 1)'],
    ['EXISTS', 'SELECT count(*) FROM {object} WHERE EXISTS (SELECT 1)'],
    ['GROUP BY', 'SELECT count(*) FROM {object} WHERE qty > 1 GROUP BY item'],
    ['HAVING', 'SELECT count(*) FROM {object} WHERE qty > 1 HAVING count(*) > 1'],
    ['LIMIT', 'SELECT count(*) FROM {object} WHERE qty > 1 LIMIT 1'],
    ['ORDER BY', 'SELECT count(*) FROM {object} WHERE qty > 1 ORDER BY 1'],
    ['UNION', 'SELECT count(*) FROM {object} WHERE qty > 1 UNION ALL SELECT count(*) FROM {object} WHERE qty < 1'],
    ['WITH', 'WITH big AS (SELECT 1) SELECT count(*) FROM {object} WHERE qty > 1'],
    ['a join', 'SELECT count(*) FROM {object} a JOIN {object} b ON a.item = b.item WHERE a.qty > 1'],
    ['two tables', 'SELECT count(*) FROM {object}, {object} b WHERE qty > 1'],
    ['a sample', 'SELECT count(*) FROM {object} TABLESAMPLE BERNOULLI (50) WHERE qty > 1'],
    ['column aliases', 'SELECT count(*) FROM {object} AS o(a, b, c) WHERE a > 1'],
    ['another table', 'SELECT count(*) FROM orders WHERE qty > 1'],
    ['count of a column, which skips nulls', 'SELECT count(qty) FROM {object} WHERE qty > 1'],
    ['count distinct', 'SELECT count(DISTINCT item) FROM {object} WHERE qty > 1'],
    ['a filtered count', 'SELECT count(*) FILTER (WHERE qty > 2) FROM {object} WHERE qty > 1'],
    ['DISTINCT', 'SELECT DISTINCT count(*) FROM {object} WHERE qty > 1'],
    ['arithmetic on the count', 'SELECT count(*) * 2 FROM {object} WHERE qty > 1'],
    ['another aggregate', 'SELECT sum(qty) FROM {object} WHERE qty > 1'],
    ['two select items', 'SELECT count(*), 1 FROM {object} WHERE qty > 1'],
  ])('leaves a query with %s to the table level', (_form, query) => {
    expect(sqlRowsQuery(query)).toBeUndefined();
  });
});
