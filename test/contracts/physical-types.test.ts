import { describe, expect, it } from 'vitest';
import { columnTypeOf } from '../../lib/contracts/column-type.ts';
import { checkCatalog } from '../../lib/contracts/load.ts';
import type { ColumnType, LogicalType, TypeSource } from '../../lib/contracts/model.ts';
import { formatProblem } from '../../lib/contracts/problems.ts';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { salesOrdersContract, writeTree } from './helpers/contract-tree.ts';

// physicalType is the source system's type (issue 13 item 2), and contracts may be written in
// ODCS v3.0.x as well as v3.1.0 (item 1).

const int = (bits: 8 | 16 | 32 | 64): ColumnType => ({ kind: 'integer', bits });
const decimal = (precision: number, scale: number): ColumnType => ({ kind: 'decimal', precision, scale });
const DOUBLE: ColumnType = { kind: 'double' };
const STRING: ColumnType = { kind: 'string' };
const TIMESTAMP: ColumnType = { kind: 'timestamp' };

type Case = [LogicalType | undefined, string | undefined, ColumnType, TypeSource, number?];

const MAPPED: Case[] = [
  // Integers keep their width; a decimal without scale is an integer as wide as its digits need.
  ['integer', 'int4', int(32), 'physicalType'],
  ['integer', 'INT8', int(64), 'physicalType'],
  ['integer', 'serial', int(32), 'physicalType'],
  ['integer', 'smallint', int(16), 'physicalType'],
  // tinyint holds SQL Server's 0..255 and MySQL's -128..127.
  ['integer', 'TINYINT', int(16), 'physicalType'],
  ['integer', 'tinyint unsigned', int(16), 'physicalType'],
  ['integer', 'smallint unsigned', int(32), 'physicalType'],
  ['integer', 'byte', int(8), 'physicalType'],
  ['integer', 'INT64', int(64), 'physicalType'],
  ['integer', 'int(11) unsigned', int(64), 'physicalType'],
  ['integer', 'NUMBER(10)', int(64), 'physicalType'],
  ['integer', 'NUMBER(9,0)', int(32), 'physicalType'],
  ['integer', 'NUMBER', decimal(38, 0), 'physicalType'],
  ['integer', 'NUMBER(*,0)', decimal(38, 0), 'physicalType'],
  ['integer', 'bigint unsigned', decimal(20, 0), 'physicalType'],
  ['integer', undefined, int(64), 'logicalType'],
  // Numbers: exact decimals keep precision and scale, floats are doubles.
  ['number', 'NUMBER(10,2)', decimal(10, 2), 'physicalType'],
  ['number', 'numeric(12, 4)', decimal(12, 4), 'physicalType'],
  ['number', 'DECIMAL(12, 2)', decimal(12, 2), 'physicalType'],
  ['number', 'float(3,2)', DOUBLE, 'physicalType'],
  ['number', 'double precision', DOUBLE, 'physicalType'],
  ['number', 'FLOAT64', DOUBLE, 'physicalType'],
  ['number', 'int4', int(32), 'physicalType'],
  ['number', 'numeric', DOUBLE, 'logicalType'],
  // Strings: a sized type gives the column its maximum length.
  ['string', 'varchar(2)', STRING, 'physicalType', 2],
  ['string', 'VARCHAR2(20 BYTE)', STRING, 'physicalType', 20],
  ['string', 'char', STRING, 'physicalType', 1],
  ['string', 'bpchar', STRING, 'physicalType'],
  ['string', 'nvarchar(max)', STRING, 'physicalType'],
  ['string', 'STRING', STRING, 'physicalType'],
  ['string', 'text', STRING, 'physicalType'],
  ['string', 'uuid', STRING, 'physicalType'],
  ['string', 'jsonb', STRING, 'physicalType'],
  ['boolean', 'bool', { kind: 'boolean' }, 'physicalType'],
  ['boolean', 'BIT', { kind: 'boolean' }, 'physicalType'],
  ['boolean', 'tinyint(1)', { kind: 'boolean' }, 'physicalType'],
  ['date', 'date', { kind: 'date' }, 'physicalType'],
  // Timestamps in every spelling; ODCS v3.0 wrote them as logicalType date.
  ['timestamp', 'timestamp(6)', TIMESTAMP, 'physicalType'],
  ['timestamp', 'TIMESTAMP(6) WITH TIME ZONE', TIMESTAMP, 'physicalType'],
  ['timestamp', 'TIMESTAMP_NTZ', TIMESTAMP, 'physicalType'],
  ['timestamp', 'datetime', TIMESTAMP, 'physicalType'],
  ['timestamp', 'timestamptz', TIMESTAMP, 'physicalType'],
  ['date', 'timestamp', TIMESTAMP, 'physicalType'],
  ['date', 'DATETIME2', TIMESTAMP, 'physicalType'],
  // A physical type the lakehouse does not know leaves the logical type's default.
  ['integer', 'hugeint_of_some_engine', int(64), 'logicalType'],
  ['string', 'bytea', STRING, 'logicalType'],
  ['boolean', 'bit(8)', { kind: 'boolean' }, 'logicalType'],
  // Without a logical type, the physical type says it, else the column is a string.
  [undefined, 'int8', int(64), 'inferred'],
  [undefined, 'NUMBER(10,2)', decimal(10, 2), 'inferred'],
  [undefined, 'NUMBER(5)', int(32), 'inferred'],
  [undefined, 'NUMBER', DOUBLE, 'inferred'],
  [undefined, 'varchar(36)', STRING, 'inferred', 36],
  [undefined, 'timestamp with time zone', TIMESTAMP, 'inferred'],
  [undefined, 'geography', STRING, 'defaultString'],
  [undefined, undefined, STRING, 'defaultString'],
];

describe('physical types of source systems', () => {
  it.each<Case>(MAPPED)('logicalType %s with physicalType %s', (logicalType, physicalType, type, typeFrom, length) => {
    const typed = columnTypeOf(logicalType, physicalType);
    expect(typed).toMatchObject({ type, typeFrom });
    expect('physicalLength' in typed ? typed.physicalLength : undefined).toBe(length);
  });

  it('infers the logical type a physical type implies, and reads a v3.0 date with a timestamp physicalType as a timestamp', () => {
    expect(columnTypeOf(undefined, 'NUMBER(5)')).toMatchObject({ logicalType: 'integer' });
    expect(columnTypeOf(undefined, 'float8')).toMatchObject({ logicalType: 'number' });
    expect(columnTypeOf(undefined, 'datetime')).toMatchObject({ logicalType: 'timestamp' });
    expect(columnTypeOf(undefined, 'unknown_type')).toMatchObject({ logicalType: 'string' });
    expect(columnTypeOf('date', 'timestamp(6)')).toMatchObject({ logicalType: 'timestamp' });
  });

  it.each([
    ['integer', 'varchar(10)', 'it is a character type'],
    ['integer', 'NUMBER(10,2)', 'it is a decimal type'],
    ['integer', 'double precision', 'it is a floating-point type'],
    ['string', 'bigint', 'it is an integer type'],
    ['boolean', 'int4', 'it is an integer type'],
    ['timestamp', 'date', 'it is a date type'],
    ['date', 'uuid', 'it is a character type'],
  ] as const)('refuses logicalType %s with physicalType %s', (logicalType, physicalType, why) => {
    const typed = columnTypeOf(logicalType, physicalType);
    expect(typed).toEqual({ problem: expect.stringContaining(`physicalType '${physicalType}' does not fit logicalType ${logicalType}: ${why}`) });
  });

  it('refuses a decimal no engine stores, with or without a logical type', () => {
    expect(columnTypeOf('number', 'NUMBER(39,2)')).toEqual({ problem: expect.stringContaining('precision must be 1..38') });
    expect(columnTypeOf(undefined, 'numeric(4,6)')).toEqual({ problem: expect.stringContaining('scale 0..precision') });
  });
});

const COLUMNS = [
  '      - name: order_id',
  '        physicalType: uuid',
  '      - name: amount',
  '        logicalType: number',
  '        physicalType: NUMBER(10,2)',
  '      - name: country',
  '        logicalType: string',
  '        physicalType: CHAR(2)',
  '      - name: placed_at',
  '        logicalType: date',
  '        physicalType: timestamp(6)',
  '      - name: note',
  '        physicalType: geography',
].join('\n');

function checked(files: Readonly<Record<string, string>>) {
  const root = writeTree(files);
  const result = checkCatalog(root);
  const relative = (problem: Parameters<typeof formatProblem>[0]) => formatProblem(problem).slice(root.length + 1);
  return { root, catalog: result.catalog, problems: result.problems.map(relative), warnings: result.warnings.map(relative) };
}

const inVersion = (files: Record<string, string>, apiVersion: string) => ({
  ...files,
  'sales/orders.yaml': files['sales/orders.yaml']!.replace('apiVersion: v3.1.0', `apiVersion: ${apiVersion}`),
});

describe('contracts with source types', () => {
  it.each(['v3.0.0', 'v3.0.1', 'v3.0.2', 'v3.1.0'])('loads apiVersion %s, a date with a timestamp physicalType as a timestamp', (apiVersion) => {
    const result = checked(inVersion(salesOrdersContract(COLUMNS), apiVersion));
    expect(result.problems).toEqual([]);
    const columns = result.catalog!.domains[0]!.datasets[0]!.columns;
    expect(columns.map(({ name, type, typeFrom, logicalType, physicalLength }) => ({ name, type, typeFrom, logicalType, physicalLength }))).toEqual([
      { name: 'order_id', type: STRING, typeFrom: 'inferred', logicalType: 'string', physicalLength: undefined },
      { name: 'amount', type: decimal(10, 2), typeFrom: 'physicalType', logicalType: 'number', physicalLength: undefined },
      { name: 'country', type: STRING, typeFrom: 'physicalType', logicalType: 'string', physicalLength: 2 },
      { name: 'placed_at', type: TIMESTAMP, typeFrom: 'physicalType', logicalType: 'timestamp', physicalLength: undefined },
      { name: 'note', type: STRING, typeFrom: 'defaultString', logicalType: 'string', physicalLength: undefined },
    ]);
  });

  it('warns at file:line:column about a column read as a string for want of any type', () => {
    const result = checked(salesOrdersContract(COLUMNS));
    expect(result.warnings).toEqual([
      "sales/orders.yaml:26:9: warning: schema[0].properties[4]: column 'note' has no logicalType and physicalType 'geography', a type the lakehouse does not know: it is read as a string (add a logicalType)",
    ]);
  });

  it('refuses an apiVersion outside ODCS v3.0 and v3.1, naming the ones it reads', () => {
    expect(checked(inVersion(salesOrdersContract(COLUMNS), 'v2.2.2')).problems).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:1:13: apiVersion: must be one of v3\.0\.0, v3\.0\.1, v3\.0\.2, v3\.1\.0 \(got 'v2\.2\.2'\)/),
    ]);
  });

  it('refuses a physical type that contradicts the logical type, at its position', () => {
    const columns = ['      - name: quantity', '        logicalType: integer', '        physicalType: varchar(10)'].join('\n');
    expect(checked(salesOrdersContract(columns)).problems).toEqual([
      expect.stringMatching(/^sales\/orders\.yaml:17:23: schema\[0\]\.properties\[0\]\.physicalType: physicalType 'varchar\(10\)' does not fit logicalType integer: it is a character type/),
    ]);
  });

  it('lists each column with its type and the field that decided it in contracts list --json', async () => {
    const { root } = checked(salesOrdersContract(COLUMNS));
    const listed = await runLakehouseInProcess(['contracts', 'list', root, '--json']);
    expect(listed.status).toBe(0);
    const [orders] = JSON.parse(listed.stdout) as { dataset: string; columns: unknown[] }[];
    expect(orders).toMatchObject({ dataset: 'orders', contractId: 'sales-orders' });
    expect(orders!.columns).toEqual([
      { name: 'order_id', nameInFile: 'order_id', type: STRING, typeFrom: 'inferred', logicalType: 'string', physicalType: 'uuid' },
      { name: 'amount', nameInFile: 'amount', type: decimal(10, 2), typeFrom: 'physicalType', logicalType: 'number', physicalType: 'NUMBER(10,2)' },
      { name: 'country', nameInFile: 'country', type: STRING, typeFrom: 'physicalType', logicalType: 'string', physicalType: 'CHAR(2)', physicalLength: 2 },
      { name: 'placed_at', nameInFile: 'placed_at', type: TIMESTAMP, typeFrom: 'physicalType', logicalType: 'timestamp', physicalType: 'timestamp(6)' },
      { name: 'note', nameInFile: 'note', type: STRING, typeFrom: 'defaultString', logicalType: 'string', physicalType: 'geography' },
    ]);
  });
});

describe('ODCS v3.0 exclusive bounds', () => {
  const bounded = (options: string) =>
    inVersion(
      salesOrdersContract(['      - name: quantity', '        logicalType: integer', '        logicalTypeOptions:', options].join('\n')),
      'v3.0.2',
    );

  it('reads a true flag beside its bound as the exclusive bound, and a false one as the plain bound', () => {
    const result = checked(bounded(['          minimum: 0', '          exclusiveMinimum: false', '          maximum: 10', '          exclusiveMaximum: true'].join('\n')));
    expect(result.problems).toEqual([]);
    expect(result.catalog!.domains[0]!.datasets[0]!.columns[0]!.constraints).toEqual({ minimum: 0, exclusiveMaximum: 10 });
  });

  it('refuses a flag without its bound, and reports an empty range at the bound written', () => {
    expect(checked(bounded(['          exclusiveMinimum: true', '          maximum: 1', '          exclusiveMaximum: true'].join('\n'))).problems).toEqual([
      "sales/orders.yaml:18:29: schema[0].properties[0].logicalTypeOptions.exclusiveMinimum: exclusiveMinimum: true (ODCS v3.0's form) makes minimum exclusive, and there is none",
    ]);
    expect(checked(bounded(['          minimum: 5', '          maximum: 5', '          exclusiveMaximum: true'].join('\n'))).problems).toEqual([
      "sales/orders.yaml:18:20: schema[0].properties[0].logicalTypeOptions.minimum: minimum 5 is not less than exclusiveMaximum 5: no value can pass",
    ]);
  });
});

describe('ODCS v3.0 library rules', () => {
  it('reads rule duplicateCount, validValues (with its values beside it), nullCheck and rowCount as the v3.1 metrics', () => {
    const files = inVersion(
      salesOrdersContract(
        [
          '      - name: order_id',
          '        logicalType: string',
          '        quality:',
          '          - rule: duplicateCount',
          '            mustBeLessThan: 2',
          '          - rule: nullCheck',
          '      - name: status',
          '        logicalType: string',
          '        quality:',
          '          - rule: validValues',
          '            validValues: [open, shipped]',
        ].join('\n'),
        ['    quality:', '      - rule: rowCount', '        mustBeGreaterThan: 0'].join('\n'),
      ),
      'v3.0.2',
    );
    const result = checked(files);
    expect(result.problems).toEqual([]);
    const rules = result.catalog!.domains[0]!.datasets[0]!.quality;
    expect(rules.map(({ metric, column, threshold, validValues }) => ({ metric, column, threshold, validValues }))).toEqual([
      { metric: 'rowCount', column: null, threshold: { operator: 'mustBeGreaterThan', value: 0, unit: 'rows' }, validValues: undefined },
      { metric: 'duplicateValues', column: 'order_id', threshold: { operator: 'mustBeLessThan', value: 2, unit: 'rows' }, validValues: undefined },
      { metric: 'nullValues', column: 'order_id', threshold: { operator: 'mustBe', value: 0, unit: 'rows' }, validValues: undefined },
      { metric: 'invalidValues', column: 'status', threshold: { operator: 'mustBe', value: 0, unit: 'rows' }, validValues: ['open', 'shipped'] },
    ]);
  });

  it('refuses a rule name neither version knows, naming the ones it reads', () => {
    const files = salesOrdersContract(['      - name: order_id', '        logicalType: string', '        quality:', '          - rule: notNullish'].join('\n'));
    expect(checked(files).problems).toEqual([expect.stringMatching(/^sales\/orders\.yaml:18:19: .*rule: must be one of duplicateCount, validValues, nullCheck, rowCount, nullValues, missingValues/)]);
  });
});
