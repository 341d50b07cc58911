import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { duckDbOneSelectProblem } from '../../lib/sql/duckdb-one-select.ts';
import { singleSelectProblem } from '../../lib/sql/single-select.ts';

/** A second statement Trino's grammar reads as the text of a literal, and DuckDB as a statement. */
const hiddenCopy = "SELECT E'\\''; COPY (SELECT 1) TO $$/tmp/x.csv$$; --' AS y FROM t";

describe('singleSelectProblem (Athena grammar, at contract and model load)', () => {
  it.each([
    ['one SELECT with a CTE, a typed literal and UNNEST', "WITH a AS (SELECT DATE '2026-01-01' AS d, ARRAY[1, 2] AS xs) SELECT d, x FROM a CROSS JOIN UNNEST(xs) AS t(x);", undefined],
    ['a semicolon in a string and in a comment', "SELECT 'a;b' AS s -- ; DROP TABLE t\nFROM t", undefined],
    ['a second statement', 'SELECT 1; SELECT 2', 'only one statement is allowed'],
    ['COPY', "COPY (SELECT 1) TO '/tmp/x'", "'COPY' is not valid"],
    ['INSERT', 'INSERT INTO t SELECT 1', 'only a SELECT is allowed, not INSERT'],
    ['EXPLAIN around a SELECT', 'EXPLAIN SELECT 1', 'only a SELECT is allowed, not EXPLAIN'],
    ['SET', 'SET SESSION x = 1', 'only a SELECT is allowed, not SET'],
    ['a path as a table', "SELECT * FROM '/etc/passwd'", 'not valid Athena (Trino) SQL'],
    ['a table function', "SELECT * FROM TABLE(read_text('/etc/passwd'))", 'table functions'],
    ['a DuckDB file reader in an expression', "SELECT \"read_parquet\"('/x') AS x", 'reads files'],
    ['glob', "SELECT glob('/etc/*') AS x", 'reads files'],
    ['an inline function', 'WITH FUNCTION f() RETURNS int RETURN 1 SELECT f()', 'inline functions'],
    ['an E-string hiding a statement from this grammar', hiddenCopy, "E'...' is not a literal Athena knows"],
    ['nothing but a comment', '-- nothing', 'no statement'],
  ])('%s', (_, sql, expected) => {
    const problem = singleSelectProblem(sql);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem?.message).toContain(expected);
  });
});

describe('duckDbOneSelectProblem (DuckDB grammar, just before DuckDB runs user SQL)', () => {
  it.each([
    ['one SELECT', 'SELECT x FROM (SELECT [1, 2] AS a) CROSS JOIN UNNEST(a) AS t(x)', undefined],
    ['the E-string trick', hiddenCopy, 'DuckDB does not read it as one SELECT'],
    ['two SELECTs', 'SELECT 1; SELECT 2', 'DuckDB reads 2 statements'],
    ['a table function', "SELECT * FROM read_text('/etc/passwd')", 'read_text() as a table function'],
    ['a file as a table', "SELECT * FROM '/etc/passwd'", "reads '/etc/passwd' as a file"],
    ['a file reader in a subquery', "SELECT 1 WHERE 'x' IN (SELECT content FROM read_text('/etc/passwd'))", 'read_text() as a table function'],
  ])('%s', async (_, sql, expected) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const problem = await duckDbOneSelectProblem(connection, sql);
      if (expected === undefined) expect(problem).toBeUndefined();
      else expect(problem).toContain(expected);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
