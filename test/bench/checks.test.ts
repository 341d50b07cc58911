import { describe, expect, it } from 'vitest';
import { sectionProblems, validationMismatches } from '../../bench/checks.ts';
import { handWrittenRuleMetrics, metricDifferences } from '../../bench/hand-written-metrics.ts';
import { expectedFailures, expectedQuarantinedRows } from '../../bench/orders-data.ts';
import { sectionOf, uniform } from './section-fixtures.ts';

const ROWS = 300_000;
const faithful = {
  rowCount: ROWS,
  rowsQuarantined: expectedQuarantinedRows(ROWS),
  rowsPassed: ROWS - expectedQuarantinedRows(ROWS),
  failures: expectedFailures(ROWS),
};

describe('validationMismatches', () => {
  it('finds nothing when the report holds the rows and defects written', () => {
    expect(validationMismatches(faithful, ROWS)).toEqual([]);
  });

  it('names every count that differs, a defect not found and a failure not written', () => {
    const failures = { ...faithful.failures, 'order_id.unique': 1, 'order_ts.type': 1 } as Record<string, number>;
    delete failures['status_known'];
    const outcome = { ...faithful, rowsQuarantined: faithful.rowsQuarantined - 3, failures };
    expect(validationMismatches(outcome, ROWS)).toEqual([
      `validateFile reported rowsQuarantined ${faithful.rowsQuarantined - 3}; the generator wrote ${faithful.rowsQuarantined}`,
      `validateFile reported 1 failing rows for order_id.unique; the generator wrote ${faithful.failures['order_id.unique']}`,
      'validateFile failed order_ts.type (1 rows); the generator broke no such rule',
      `validateFile passed status_known; the generator wrote ${faithful.failures.status_known} failing rows`,
    ]);
  });
});

describe('metricDifferences', () => {
  const generated = new Map<string, readonly (number | null)[]>([
    ['order_id.unique', [2, 100]],
    ['freshness', [1_795_000_000]],
  ]);

  it('finds nothing when both sides measured the same', () => {
    expect(metricDifferences(generated, new Map(generated))).toEqual([]);
  });

  it('names a value that differs and a rule only one side measures', () => {
    const handWritten = new Map<string, readonly (number | null)[]>([
      ['order_id.unique', [1, 100]],
      ['status_known', [0, 100]],
    ]);
    expect(metricDifferences(generated, handWritten)).toEqual([
      'order_id.unique: generated [2, 100], hand-written [1, 100]',
      'freshness: the hand-written query does not measure this rule',
      'status_known: the hand-written query measures a rule the contract does not have',
    ]);
  });
});

describe('handWrittenRuleMetrics', () => {
  it('refuses a metrics row without a column it needs', () => {
    expect(() => handWrittenRuleMetrics(new Map([['rows', 1]]), 'csv')).toThrow("the metrics row has no column 'order_id_nulls'");
  });
});

describe('sectionProblems', () => {
  it('reports metrics that differ and a validation that missed the defects', () => {
    const section = sectionOf('csv', ROWS, uniform(1), {
      generated: { ruleMetrics: [['orders_not_empty', [ROWS]]] },
      handWritten: { ruleMetrics: [['orders_not_empty', [ROWS - 1]]] },
      validate: { validation: { ...faithful, rowCount: ROWS + 1 } },
    });
    expect(sectionProblems(section)).toEqual([
      `orders_not_empty: generated [${ROWS}], hand-written [${ROWS - 1}]`,
      `validateFile reported rowCount ${ROWS + 1}; the generator wrote ${ROWS}`,
    ]);
  });

  it('reports a table-level rule that failed though no row was written to break it', () => {
    const validation = { ...faithful, failures: { ...faithful.failures, freshness: 0 } };
    expect(sectionProblems(sectionOf('csv', ROWS, uniform(1), { validate: { validation } }))).toContain(
      'validateFile failed freshness (0 rows); the generator broke no such rule',
    );
  });

  it('reports measurements that sent nothing, which would compare equal', () => {
    const section = sectionOf('csv', ROWS, uniform(1), { handWritten: { ruleMetrics: [] }, validate: { validation: faithful } });
    expect(sectionProblems(section)).toEqual([
      "a run of 'metrics, generated' sent no measurements",
      "a run of 'metrics, hand-written' sent no measurements",
    ]);
  });

  it('finds nothing in a faithful section', () => {
    const metrics = { ruleMetrics: [['orders_not_empty', [ROWS]]] as const };
    const section = sectionOf('csv', ROWS, uniform(1), { generated: metrics, handWritten: metrics, validate: { validation: faithful } });
    expect(sectionProblems(section)).toEqual([]);
  });
});
