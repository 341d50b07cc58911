import { describe, expect, it } from 'vitest';
import { ContractError, formatProblem } from '../../lib/contracts/problems.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { athenaDdlType, goldColumns, goldTables } from '../../lib/transforms/gold-table.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import type { TransformModel } from '../../lib/transforms/model.ts';
import { catalogWith, modelFile } from '../transforms/helpers.ts';

const position = { file: 'contracts/sales/transforms/m.sql', line: 1, column: 1 };

function model(materialized: TransformModel['materialized'], declared: readonly string[] = []) {
  return {
    id: 'sales/m',
    domain: 'sales',
    name: 'm',
    materialized,
    position,
    columns: declared.map((name, index) => ({ name, position: { ...position, line: 4 + index, column: 5 } })),
  };
}

function contractError(run: () => unknown): ContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('athenaDdlType', () => {
  it.each([
    ['VARCHAR', 'string'],
    ['BIGINT', 'bigint'],
    ['INTEGER', 'int'],
    ['DOUBLE', 'double'],
    ['DECIMAL(38,2)', 'decimal(38,2)'],
    ['DECIMAL(12, 4)', 'decimal(12,4)'],
    ['DATE', 'date'],
    ['TIMESTAMP', 'timestamp'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
    ['BOOLEAN', 'boolean'],
    ['varchar', 'string'],
  ])('maps DuckDB %s to Athena %s', (duckdb, athena) => {
    expect(athenaDdlType(duckdb)).toBe(athena);
  });

  it.each(['HUGEINT', 'FLOAT', 'SMALLINT', 'TIMESTAMP_NS', 'VARCHAR[]', 'STRUCT(a INTEGER)', 'BLOB', 'DECIMAL', 'DECIMAL(a,b)', 'TIME'])(
    'has no gold type for DuckDB %s',
    (duckdb) => {
      expect(athenaDdlType(duckdb)).toBeUndefined();
    },
  );
});

describe('goldColumns', () => {
  it('keeps names and order, mapping each type', () => {
    expect(
      goldColumns(model('table'), [
        { name: 'day', type: 'DATE' },
        { name: 'Revenue', type: 'DECIMAL(18,2)' },
        { name: 'n', type: 'BIGINT' },
      ]),
    ).toEqual([
      { name: 'day', type: 'date' },
      { name: 'Revenue', type: 'decimal(18,2)' },
      { name: 'n', type: 'bigint' },
    ]);
  });

  it('names the model and every unsupported column, at its declaration when the front matter has one', () => {
    const error = contractError(() =>
      goldColumns(model('table', ['total']), [
        { name: 'total', type: 'HUGEINT' },
        { name: 'ok', type: 'VARCHAR' },
        { name: 'tags', type: 'VARCHAR[]' },
      ]),
    );
    expect(error.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^contracts\/sales\/transforms\/m\.sql:4:5: model 'sales\/m': column 'total' has DuckDB type HUGEINT, which a gold Iceberg table cannot hold; cast it/),
      expect.stringMatching(/^contracts\/sales\/transforms\/m\.sql:1:1: model 'sales\/m': column 'tags' has DuckDB type VARCHAR\[\]/),
    ]);
  });
});

describe('goldTables', () => {
  const columns = [
    { name: 'status', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
  ];
  const placement = { database: 'acme_dev_sales', goldBucket: 'acme-dev-gold' };

  it('owns the published table and its staging table, each under its own gold prefix', () => {
    const tables = goldTables(model('table'), columns, placement);
    expect(tables.map(({ table, location }) => [table, location])).toEqual([
      ['m', 's3://acme-dev-gold/sales/m/'],
      ['m__staging', 's3://acme-dev-gold/sales/m__staging/'],
    ]);
    expect(tables[0]!.createStatement).toBe(
      [
        'CREATE TABLE IF NOT EXISTS `acme_dev_sales`.`m` (',
        '  `status` string,',
        '  `n` bigint',
        ')',
        "LOCATION 's3://acme-dev-gold/sales/m/'",
        "TBLPROPERTIES ('table_type'='ICEBERG')",
      ].join('\n'),
    );
    expect(tables[1]!.createStatement).toContain('CREATE TABLE IF NOT EXISTS `acme_dev_sales`.`m__staging` (');
    expect(tables.every((table) => table.columns.length === 2 && table.columns[1]!.type === 'bigint')).toBe(true);
  });

  it('owns a staging table for an incremental model too: its new rows are tested there before the MERGE', () => {
    expect(goldTables(model('incremental'), columns, placement).map((table) => table.table)).toEqual(['m', 'm__staging']);
  });

  it('owns nothing for a view, whatever its column types', () => {
    expect(goldTables(model('view'), [{ name: 'x', type: 'HUGEINT' }], placement)).toEqual([]);
  });

  it('quotes backticks in identifiers', () => {
    const [table] = goldTables(model('table'), [{ name: 'a`b', type: 'INTEGER' }], placement);
    expect(table!.createStatement).toContain('  `a``b` int');
  });

  it('refuses a model whose DuckDB-inferred column is a sum of BIGINTs (HUGEINT), pointing at the model file', async () => {
    const dag = compileTransforms(
      catalogWith({ 'sales/totals': modelFile('materialized: table', "SELECT status, sum(CAST(1 AS BIGINT)) AS lines FROM {{ ref('orders') }} GROUP BY status") }),
    );
    const inferred = await inferModelColumns(dag);
    const totals = dag.models.find((candidate) => candidate.id === 'sales/totals')!;
    const error = contractError(() => goldTables(totals, inferred.get(totals.id)!, placement));
    expect(error.message).toMatch(/transforms\/totals\.sql:\d+:\d+: model 'sales\/totals': column 'lines' has DuckDB type HUGEINT/);
  });
});
