import { describe, expect, it } from 'vitest';
import { problemsIn, salesOrdersContract } from './helpers/contract-tree.ts';

/** A contract whose one dataset carries `query` as its only SQL rule, written on line 19. */
function withSqlRule(query: string): Record<string, string> {
  return salesOrdersContract(
    ['      - name: order_id', '        logicalType: string'].join('\n'),
    ['    quality:', '      - type: sql', `        query: ${JSON.stringify(query)}`, '        mustBe: 0'].join('\n'),
  );
}

describe('type: sql rules are exactly one SELECT, judged on the parse tree', () => {
  it('refuses a COPY after the SELECT that would overwrite another table\'s metadata', () => {
    const problems = problemsIn(withSqlRule("SELECT COUNT(*) FROM {object}; COPY (SELECT 1) TO '.lake/sales/orders/metadata/0000000099.json'"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sales\/orders\.yaml:19:16: schema\[0\]\.quality\[0\]\.query: a sql rule must be exactly one SELECT \(column 32 of the query\): .*'COPY'/);
  });

  it('refuses reading a file with read_text, in a table function or as a scalar call', () => {
    for (const query of [
      "SELECT COUNT(*) FROM TABLE(read_text('/etc/passwd')) CROSS JOIN {object}",
      "SELECT COUNT(*) FROM {object} WHERE order_id IN (SELECT content FROM TABLE(read_text('/etc/passwd')))",
      "SELECT COUNT(*) FROM {object} WHERE order_id = read_text('/etc/passwd')",
    ]) {
      const problems = problemsIn(withSqlRule(query));
      expect(problems, query).toHaveLength(1);
      expect(problems[0], query).toMatch(/^sales\/orders\.yaml:19:16: schema\[0\]\.quality\[0\]\.query: a sql rule must be exactly one SELECT \(column \d+ of the query\): (table functions|read_text\(\))/);
    }
  });

  it('refuses other statements and a second statement, wherever the line breaks are', () => {
    expect(problemsIn(withSqlRule('INSERT INTO x SELECT * FROM {object}'))).toEqual([
      'sales/orders.yaml:19:16: schema[0].quality[0].query: a sql rule must be exactly one SELECT (column 1 of the query): only a SELECT is allowed, not INSERT',
    ]);
    expect(problemsIn(withSqlRule('SELECT COUNT(*) FROM {object};\nSELECT 1'))).toEqual([
      'sales/orders.yaml:19:16: schema[0].quality[0].query: a sql rule must be exactly one SELECT (line 2, column 1 of the query): only one statement is allowed, and this is a second one',
    ]);
  });

  it('accepts one SELECT, with a semicolon inside a string or a comment and a trailing one', () => {
    expect(problemsIn(withSqlRule("SELECT COUNT(*) FROM {object} WHERE order_id = 'a;b' -- ; DROP TABLE x\n;"))).toEqual([]);
    expect(problemsIn(withSqlRule('WITH o AS (SELECT * FROM {object}) SELECT COUNT(*) FROM o WHERE order_id IS NULL'))).toEqual([]);
  });
});

/** A contract whose column `amount` carries `query` as its only SQL rule, written on line 19. */
function withColumnSqlRule(query: string): Record<string, string> {
  return salesOrdersContract(
    [
      '      - name: amount',
      '        logicalType: number',
      '        quality:',
      '          - type: sql',
      `            query: ${JSON.stringify(query)}`,
      '            mustBe: 0',
    ].join('\n'),
  );
}

describe('placeholders in type: sql rules', () => {
  it('accepts {object} and ${model} for the rows, and {property} on a property-level rule', () => {
    expect(problemsIn(withColumnSqlRule('SELECT count(*) FROM {object} WHERE {property} < 0'))).toEqual([]);
    expect(problemsIn(withColumnSqlRule('SELECT count(*) FROM ${model} WHERE {property} < 0'))).toEqual([]);
    expect(problemsIn(withSqlRule("SELECT count(*) FROM ${model} WHERE order_id = ''"))).toEqual([]);
  });

  it('refuses {property} on a dataset-level rule, saying where and why', () => {
    expect(problemsIn(withSqlRule('SELECT count(*) FROM {object} WHERE {property} IS NULL'))).toEqual([
      "sales/orders.yaml:19:16: schema[0].quality[0].query: {property} (column 37 of the query) is the column a rule is attached to, and this rule is on dataset 'orders': move it to that property's quality, or write the column's name",
    ]);
  });

  it('refuses a placeholder it does not know, and still asks for the rows', () => {
    expect(problemsIn(withColumnSqlRule('SELECT count(*) FROM {table} WHERE {property} < 0'))).toEqual([
      'sales/orders.yaml:19:20: schema[0].properties[0].quality[0].query: a sql rule must read its dataset as {object} (or ${model})',
      'sales/orders.yaml:19:20: schema[0].properties[0].quality[0].query: unknown placeholder {table} (column 22 of the query): a sql rule may use {object}, ${model}, {property}',
    ]);
  });

  it('does not take a regex quantifier inside a string for a placeholder', () => {
    expect(problemsIn(withColumnSqlRule("SELECT count(*) FROM {object} WHERE NOT regexp_matches(CAST({property} AS VARCHAR), '^[0-9]{1,3}$')"))).toEqual([]);
  });
});
