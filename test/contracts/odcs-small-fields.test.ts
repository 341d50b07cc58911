import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { problemsIn, salesOrdersContract, writeTree, yaml } from './helpers/contract-tree.ts';

// Small fields as ODCS v3 writes them (issue 13 item 4): forms the official schema allows that
// the lakehouse once refused.

function orders(files: Record<string, string>): Dataset {
  return loadCatalog(writeTree(files)).domains[0]!.datasets[0]!;
}

const ORDER_COLUMNS = [
  '      - name: order_id',
  '        logicalType: string',
  '      - name: line_no',
  '        logicalType: integer',
  '      - name: status',
  '        logicalType: string',
].join('\n');

describe('ODCS small fields', () => {
  it('orders a composite primary key by property order when every position is left at its default', () => {
    const columns = [
      '      - name: order_id',
      '        logicalType: string',
      '        primaryKey: true',
      '      - name: line_no',
      '        logicalType: integer',
      '        primaryKey: true',
      '        primaryKeyPosition: -1',
      '      - name: status',
      '        logicalType: string',
    ].join('\n');
    const dataset = orders(salesOrdersContract(columns));
    expect(dataset.primaryKey).toEqual(['order_id', 'line_no']);
    expect(dataset.columns.map((column) => column.primaryKeyPosition)).toEqual([1, 2, undefined]);
  });

  it('still refuses a composite key with some positions given and some left out', () => {
    const columns = [
      '      - name: order_id',
      '        logicalType: string',
      '        primaryKey: true',
      '        primaryKeyPosition: 1',
      '      - name: line_no',
      '        logicalType: integer',
      '        primaryKey: true',
    ].join('\n');
    expect(problemsIn(salesOrdersContract(columns))).toEqual([
      "sales/orders.yaml:19:9: schema[0].properties[1]: column 'line_no' needs primaryKeyPosition: the primary key has 2 columns",
    ]);
  });

  it('reads team in the deprecated list form (ODCS v3.0) as its members', () => {
    const team = yaml`
      team:
        - username: ana@example.com
          role: steward
        - username: bo@example.com
          role: Owner
    `;
    expect(orders(salesOrdersContract(ORDER_COLUMNS, team)).owner).toEqual({ team: 'sales-data-engineering', email: 'bo@example.com' });
  });

  it('reports a mistake in either form of team inside the form written', () => {
    const problems = (team: string) => problemsIn(salesOrdersContract(ORDER_COLUMNS, team));
    expect(problems('team:\n  - role: owner')).toEqual(["sales/orders.yaml:22:5: team[0]: missing required field 'username'"]);
    expect(problems('team:\n  name: orders-team\n  lead: ana')).toEqual(["sales/orders.yaml:23:3: team: unknown field 'lead'"]);
    expect(problems('team: 5')).toEqual(['sales/orders.yaml:21:7: team: must be a mapping (got 5)']);
  });

  it('accepts null among validValues: a null is never invalid, so only the other values are tested', () => {
    const columns = `${ORDER_COLUMNS}\n${[
      '        quality:',
      '          - metric: invalidValues',
      '            arguments:',
      '              validValues: [open, shipped, null]',
      '            mustBe: 0',
    ].join('\n')}`;
    expect(orders(salesOrdersContract(columns)).quality.find((rule) => rule.metric === 'invalidValues')?.validValues).toEqual(['open', 'shipped']);
  });

  it('refuses validValues that list only null, which would allow no value', () => {
    const columns = `${ORDER_COLUMNS}\n${[
      '        quality:',
      '          - metric: invalidValues',
      '            arguments:',
      '              validValues: [null]',
      '            mustBe: 0',
    ].join('\n')}`;
    expect(problemsIn(salesOrdersContract(columns))).toEqual([
      'sales/orders.yaml:24:28: schema[0].properties[2].quality[0].arguments.validValues: validValues lists only null, which allows no value: list the values a row may hold',
    ]);
  });

  it('accepts any classification; restricted, confidential and pii (any case) still mark a column sensitive', () => {
    const classified = (classification: string, index: number) =>
      [`      - name: column_${index}`, '        logicalType: string', `        classification: "${classification}"`].join('\n');
    const labels = ['public', 'restricted', 'confidential', 'Confidential', 'PII', 'level-3', '2'];
    const dataset = orders(salesOrdersContract(labels.map(classified).join('\n')));
    expect(dataset.columns.map((column) => [column.classification, column.sensitive])).toEqual([
      ['public', false],
      ['restricted', true],
      ['confidential', true],
      ['Confidential', true],
      ['PII', true],
      ['level-3', false],
      ['2', false],
    ]);
  });

  it('reads quality severities info, warning, warn and error; warn and info are warnings', () => {
    const rule = (severity: string) =>
      ['          - metric: nullValues', '            mustBe: 0', `            severity: ${severity}`].join('\n');
    const columns = `${ORDER_COLUMNS}\n        quality:\n${['info', 'warning', 'warn', 'error'].map(rule).join('\n')}`;
    expect(orders(salesOrdersContract(columns)).quality.map((rule) => rule.severity)).toEqual(['warning', 'warning', 'warning', 'error']);
  });
});

describe('ODCS SLA values', () => {
  const columns = [
    '      - name: order_id',
    '        logicalType: string',
    '      - name: placed_at',
    '        logicalType: timestamp',
    '        physicalName: PLACED_AT',
  ].join('\n');
  /** Line 21 is the first SLA entry. */
  const withSla = (...entries: string[]) => salesOrdersContract(columns, ['slaProperties:', ...entries].join('\n'));
  const entry = (property: string, value: string, more: string[] = []) =>
    [`  - property: ${property}`, `    value: ${value}`, ...more.map((line) => `    ${line}`)].join('\n');

  it('reads ISO 8601 durations, which carry their unit', () => {
    const dataset = orders(withSla(entry('freshness', 'PT15M'), entry('frequency', 'P1DT2H'), entry('retention', 'P1Y')));
    expect(dataset.freshness?.maxAge).toBe(900);
    expect(dataset.frequency).toBe(26 * 3_600);
    expect(dataset.retentionDays).toBe(365);
  });

  it('reads milliseconds, as unit ms or in the value ("500ms")', () => {
    expect(orders(withSla(entry('freshness', '1500', ['unit: ms']))).freshness?.maxAge).toBe(1.5);
    expect(orders(withSla(entry('frequency', '"500ms"'))).frequency).toBe(0.5);
  });

  it('refuses a string value that is neither a duration nor a number with a unit', () => {
    expect(problemsIn(withSla(entry('freshness', 'soon'), entry('frequency', '"5 fortnights"')))).toEqual([
      `sales/orders.yaml:22:12: slaProperties[0].value: freshness value must be a positive number with a unit, a number with its unit ("500ms") or an ISO 8601 duration ("P1DT2H") (got 'soon')`,
      expect.stringMatching(/^sales\/orders\.yaml:24:12: slaProperties\[1\]\.value: frequency has an unknown unit 'fortnights' \(use one of ms, s, /),
    ]);
  });

  it('reads a column in element by its physicalName as well as its name', () => {
    expect(orders(withSla(entry('freshness', '1', ['unit: d', 'element: orders.PLACED_AT']))).freshness?.column).toBe('placed_at');
    expect(orders(withSla(entry('freshness', '1', ['unit: d', 'element: orders.placed_at']))).freshness?.column).toBe('placed_at');
  });
});
