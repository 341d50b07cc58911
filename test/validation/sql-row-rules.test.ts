import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/contracts/model.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { column, loadDataset, type ContractSpec } from './helpers/dataset.ts';
import { validateRows } from './helpers/source.ts';

/**
 * A sql rule of the form `SELECT COUNT(*) FROM {object} WHERE <condition>` judges rows (DESIGN.md,
 * validation semantics): the rows it counts fail it. Counted by hand on these rows: qty > 100 holds
 * on rows 2 and 4 (row 3's qty is null and row 5's unparsable, so the condition is NULL there and
 * the query counts neither); price < 0 on rows 2 and 3; item in ('a', 'b') on rows 1 and 2.
 */
const rows = [
  ['a', '1', '2.5'],
  ['b', '200', '-1'],
  ['c', null, '-3'],
  ['d', '150', null],
  ['e', 'x', '4'],
  ['f', '5', '0'],
];

const rowsMode = { property: 'onViolation', value: 'quarantine-rows' };

function contract(quality: readonly Record<string, unknown>[], extra: Partial<ContractSpec> = {}): ContractSpec {
  return {
    properties: [
      column('item'),
      column('qty', { logicalType: 'integer' }),
      column('price', {
        logicalType: 'number',
        quality: [{ id: 'negative_price', type: 'sql', query: 'select count(1)\n  from ${model}\n where {property} < 0;', mustBe: 0 }],
      }),
    ],
    quality,
    ...extra,
  };
}

const tooManyUnits = { id: 'too_many_units', type: 'sql', query: 'SELECT COUNT(*) FROM {object} WHERE qty > 100', mustBeLessThan: 2 };
const mostlyOtherItems = {
  id: 'few_a_or_b',
  type: 'sql',
  query: "SELECT count(*) AS n FROM {object} o WHERE o.item IN ('a', 'b')",
  mustBeLessThan: 25,
  unit: 'percent',
  severity: 'warning',
};

const ruleOf = (report: ValidationReport, id: string) => report.rules.find((rule) => rule.id === id);

describe('a sql rule counting the rows where a condition holds', () => {
  it('counts, samples and reports the rows it counts, with the column of a property-level rule', async () => {
    const { report } = await validateRows(loadDataset(contract([tooManyUnits, mostlyOtherItems])), rows);
    expect(ruleOf(report, 'too_many_units')).toMatchObject({
      kind: 'sql',
      column: null,
      passed: false,
      failedCount: 2,
      failedPercent: (2 / 6) * 100,
      observed: 2,
      threshold: { operator: 'mustBeLessThan', value: 2 },
      samples: [
        { row: 2, value: {} },
        { row: 4, value: {} },
      ],
    });
    expect(ruleOf(report, 'negative_price')).toMatchObject({
      kind: 'sql',
      column: 'price',
      passed: false,
      failedCount: 2,
      observed: 2,
      samples: [
        { row: 2, value: '-1' },
        { row: 3, value: '-3' },
      ],
    });
    expect(ruleOf(report, 'few_a_or_b')).toMatchObject({ passed: false, severity: 'warning', failedCount: 2, observed: (2 / 6) * 100 });
  });

  it('passes within its threshold, as the count did', async () => {
    const { report } = await validateRows(loadDataset(contract([{ ...tooManyUnits, mustBeLessThan: 3 }])), rows);
    expect(ruleOf(report, 'too_many_units')).toMatchObject({ passed: true, failedCount: 2, observed: 2, samples: [] });
  });

  it('is named after its column when it has no id', async () => {
    const dataset = loadDataset({
      properties: [column('qty', { logicalType: 'integer', quality: [{ type: 'sql', query: 'SELECT count(*) FROM {object} WHERE {property} > 100', mustBe: 0 }] })],
    });
    const { report } = await validateRows(dataset, [['1'], ['101']]);
    expect(ruleOf(report, 'qty.sql')).toMatchObject({ column: 'qty', failedCount: 1, samples: [{ row: 2, value: '101' }] });
  });

  it('under quarantine-rows quarantines exactly the rows failed error rules count, not the file', async () => {
    const { report, disposition, passingRows, quarantinedRows } = await validateRows(
      loadDataset(contract([tooManyUnits, mostlyOtherItems], { customProperties: [rowsMode] })),
      rows,
    );
    expect(disposition.wholeFile).toBe(false);
    expect(report).toMatchObject({ passed: false, rowCount: 6, rowsPassed: 2, rowsQuarantined: 4 });
    expect(passingRows.map((row) => row['_row'])).toEqual([1, 6]);
    expect(quarantinedRows.map((row) => [row['_row'], row['_violations']])).toEqual([
      [2, ['too_many_units', 'negative_price']],
      [3, ['negative_price']],
      [4, ['too_many_units']],
      [5, ['qty.type']],
    ]);
  });
});

describe('the count a sql rule judged by row reports', () => {
  /** NULLs in every place a condition can meet them: a NULL or unparsable qty, a NULL price. */
  const conditions = [
    'qty > 100',
    'NOT (qty > 100)',
    'qty IS NULL',
    'qty IS DISTINCT FROM 5',
    'price < 0 OR qty > 100',
    'price < 0 AND qty > 100',
    'coalesce(price, 0) <= 0',
    "upper(item) IN ('A', 'C', 'E')",
    'qty NOT IN (1, 5, NULL)',
    'length(item) = 1',
  ];

  it('equals what its query returns, NULL conditions not counted', async () => {
    // The same query with LIMIT 1 stays table-level, so its observed value is what the query returns.
    const quality = conditions.flatMap((condition, index) => [
      { id: `rows_${index}`, type: 'sql', query: `SELECT count(*) FROM {object} WHERE ${condition}`, mustBe: 0 },
      { id: `query_${index}`, type: 'sql', query: `SELECT count(*) FROM {object} WHERE ${condition} LIMIT 1`, mustBe: 0 },
    ]);
    const { report } = await validateRows(loadDataset(contract(quality)), rows);
    const counts = conditions.map((_, index) => [ruleOf(report, `rows_${index}`), ruleOf(report, `query_${index}`)] as const);
    for (const [index, [byRow, asQuery]] of counts.entries()) {
      expect(byRow, conditions[index]).toMatchObject({ failedCount: asQuery?.observed });
      expect(asQuery, conditions[index]).toMatchObject({ failedCount: 0, column: null });
    }
    expect(counts.map(([byRow]) => byRow?.failedCount)).toEqual([2, 2, 2, 5, 3, 1, 4, 3, 0, 6]);
  });
});

describe('a sql rule of any other form', () => {
  it.each([
    ['a subquery', 'SELECT count(*) FROM {object} WHERE qty > (SELECT min(qty) FROM {object})', 3],
    ['GROUP BY', 'SELECT count(*) FROM {object} WHERE qty > 100 GROUP BY item ORDER BY 1 DESC', 1],
    ['no WHERE', 'SELECT count(*) FROM {object}', 6],
  ])('with %s stays a table-level measurement and quarantines the whole file', async (_form, query, observed) => {
    const { report, disposition } = await validateRows(
      loadDataset(contract([{ id: 'table_level', type: 'sql', query, mustBe: 0 }], { customProperties: [rowsMode] })),
      rows,
    );
    expect(ruleOf(report, 'table_level')).toMatchObject({ kind: 'sql', column: null, passed: false, failedCount: 0, observed, samples: [] });
    expect(disposition.wholeFile).toBe(true);
    expect(report).toMatchObject({ rowsPassed: 0, rowsQuarantined: 6 });
  });
});

describe('a sql rule judged by row whose query cannot run', () => {
  /** The dataset as loaded, its rule's query then broken: a column the contract lacks. */
  function broken(): Dataset {
    const loaded = loadDataset(contract([tooManyUnits], { customProperties: [rowsMode] }));
    const brokenQuery = 'SELECT _row FROM {object} WHERE no_such_column > 100';
    return { ...loaded, quality: loaded.quality.map((rule) => (rule.id === 'too_many_units' ? { ...rule, rowsQuery: brokenQuery } : rule)) };
  }

  it('fails with the reason, blames no row, quarantines the file and leaves the other rules measured', async () => {
    const { report, disposition } = await validateRows(broken(), rows);
    expect(ruleOf(report, 'too_many_units')).toMatchObject({ passed: false, failedCount: 0, observed: null, samples: [], message: expect.stringMatching(/^query failed: .*no_such_column/) });
    expect(ruleOf(report, 'negative_price')).toMatchObject({ passed: false, failedCount: 2 });
    expect(disposition.wholeFile).toBe(true);
    expect(report).toMatchObject({ rowsPassed: 0, rowsQuarantined: 6 });
  });
});
