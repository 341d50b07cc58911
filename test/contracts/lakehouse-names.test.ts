import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAKEHOUSE_COLUMNS } from '../../lib/contracts/lakehouse-columns.ts';
import { LAKEHOUSE_NAME_RULE, lakehouseNameOf } from '../../lib/contracts/lakehouse-name.ts';
import { loadContractFile } from '../../lib/contracts/load.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { runLakehouseInProcess } from '../cli/run-cli-in-process.ts';
import { withDuckDb } from '../helpers/with-duckdb.ts';
import { problemsIn, SALES_DOMAIN, salesOrdersContract, writeTree, yaml } from './helpers/contract-tree.ts';

describe('the lakehouse name derived from a name as written', () => {
  it.each([
    ['orders', 'orders'],
    ['order_items', 'order_items'],
    ['Air_Quality', 'air_quality'],
    ['Orders', 'orders'],
    ['OrderID', 'orderid'],
    ['order-date', 'order_date'],
    ['Unit Price', 'unit_price'],
    ['unit  --  price', 'unit_price'],
    ['Price (EUR)', 'price_eur'],
    ['_id', 'id'],
    ['2023 sales', 'n_2023_sales'],
    ['Größe', 'gr_e'],
    ['a__b', 'a__b'],
  ])('%s -> %s', (written, derived) => {
    expect(lakehouseNameOf(written)).toBe(derived);
    // A derived name derives itself: names already in lakehouse form are kept as written.
    expect(lakehouseNameOf(derived)).toBe(derived);
  });

  it.each(['', '___', '%%%', 'ü'])('derives nothing from %j', (written) => {
    expect(lakehouseNameOf(written)).toBeUndefined();
  });
});

describe('names that derive the same lakehouse name are refused, naming both', () => {
  it('refuses two properties deriving one column, at the second, naming the first', () => {
    const problems = problemsIn(
      salesOrdersContract(
        [
          '      - name: Order ID',
          '        logicalType: string',
          '      - name: order-id',
          '        logicalType: string',
        ].join('\n'),
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^sales\/orders\.yaml:17:15: .*column 'order-id' derives the column name 'order_id', as column 'Order ID' at \S*sales\/orders\.yaml:15:15 does$/,
    );
  });

  it('refuses two properties read from one file column, and a name with nothing to derive from', () => {
    const problems = problemsIn(
      salesOrdersContract(
        [
          '      - name: first',
          '        physicalName: FIELD',
          '        logicalType: string',
          '      - name: second',
          '        physicalName: FIELD',
          '        logicalType: string',
          "      - name: '%%'",
          '        logicalType: string',
        ].join('\n'),
      ),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^sales\/orders\.yaml:19:23: .*column 'second' is read from the file's 'FIELD', as column 'first' at \S*sales\/orders\.yaml:16:23 is$/);
    expect(problems[1]).toMatch(/^sales\/orders\.yaml:21:15: .*column name '%%' has no letter or digit/);
  });

  it('refuses two schema objects deriving one table in a domain, naming both files', () => {
    const contract = (id: string, dataset: string) => yaml`
      apiVersion: v3.1.0
      kind: DataContract
      id: ${id}
      version: 1.0.0
      status: active
      servers:
        - server: landing
          type: s3
          location: s3://landing/sales/
          format: csv
      schema:
        - name: ${dataset}
          properties:
            - name: id
              logicalType: string
    `;
    const problems = problemsIn({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/a.yaml': contract('sales-a', 'Air Quality'),
      'sales/b.yaml': contract('sales-b', 'air_quality'),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^sales\/b\.yaml:12:11: .*dataset 'air_quality' derives the lakehouse name 'air_quality', as dataset 'Air Quality' at \S*sales\/a\.yaml:12:11 does$/,
    );
  });
});

describe('a column may not derive a name the lakehouse adds to every row', () => {
  // Every added name: file_id and ingest_date derive from names a producer writes; a derived
  // name never starts with _, so _row, _ingested_at and _source_id are out of reach.
  it.each([
    ['File ID', 'file_id'],
    ['file_id', 'file_id'],
    ['Ingest Date', 'ingest_date'],
    ['INGEST-DATE', 'ingest_date'],
  ])('refuses %j (it derives %s) at its name', (written, derived) => {
    const problems = problemsIn(salesOrdersContract([`      - name: ${written}`, '        logicalType: string'].join('\n')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sales\/orders\.yaml:15:15: /);
    expect(problems[0]).toContain(`column '${written}' derives the column name '${derived}', which the lakehouse adds to every row`);
  });

  it.each(LAKEHOUSE_COLUMNS.filter((name) => name.startsWith('_')))('keeps %j, whose derived name is not one the lakehouse adds', (written) => {
    const root = writeTree(salesOrdersContract([`      - name: ${written}`, '        logicalType: string'].join('\n')));
    const [dataset] = loadContractFile(join(root, 'sales/orders.yaml')).datasets;
    expect(dataset!.columns.map((column) => column.name)).toEqual([written.slice(1)]);
    expect(LAKEHOUSE_COLUMNS).not.toContain(written.slice(1));
  });
});

/** A contract as a producer writes it: mixed-case names, a name with a space, a physicalName. */
const PRODUCER_CONTRACT = (format: 'csv' | 'json' | 'parquet') => yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: sales-air-quality
  version: 2.0.0
  status: active
  servers:
    - server: landing
      type: s3
      location: s3://landing/sales/air_quality/
      format: ${format}
      ${format === 'json' ? 'delimiter: new_line' : ''}
  schema:
    - name: Air_Quality
      properties:
        - name: StationID
          logicalType: string
          primaryKey: true
        - name: field_one
          physicalName: FIELD_ONE
          logicalType: integer
          logicalTypeOptions:
            minimum: 0
        - name: Unit Price
          logicalType: number
          quality:
            - metric: nullValues
              mustBe: 0
          relationships:
            - to: Air_Quality.StationID
      quality:
        - metric: duplicateValues
          arguments:
            properties: [StationID, Unit Price]
          mustBe: 0
`;

const INGEST_TIME = new Date('2026-11-21T06:00:00Z');

/** Validates `data` (the file's text, or for Parquet a DuckDB query whose result is written as the file). */
async function validateWritten(format: 'csv' | 'json' | 'parquet', data: string) {
  const root = writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/air_quality.yaml': PRODUCER_CONTRACT(format) });
  const [dataset] = loadContractFile(join(root, 'sales/air_quality.yaml')).datasets;
  const file = join(root, { csv: 'data.csv', json: 'data.jsonl', parquet: 'data.parquet' }[format]);
  if (format === 'parquet') await withDuckDb((connection) => connection.run(`COPY (${data}) TO '${file}' (FORMAT parquet)`));
  else writeFileSync(file, data);
  const validation = await validateFile({ dataset: dataset!, file, outDir: join(root, 'out'), ingestTime: INGEST_TIME });
  return { dataset: dataset!, ...validation };
}

describe('files are read by the names they carry, the lakehouse uses its derived names', () => {
  it('derives the table, the columns and every name a rule, key or reference carries', async () => {
    const { dataset } = await validateWritten('csv', 'StationID,FIELD_ONE,Unit Price\n');
    expect(dataset.name).toBe('air_quality');
    expect(dataset.names).toEqual({ ref: 'sales/air_quality', table: 'air_quality_v2', landingPrefix: 'sales/air_quality/' });
    expect(dataset.columns.map(({ name, nameInFile }) => [name, nameInFile])).toEqual([
      ['stationid', 'StationID'],
      ['field_one', 'FIELD_ONE'],
      ['unit_price', 'Unit Price'],
    ]);
    expect(dataset.primaryKey).toEqual(['stationid']);
    expect(dataset.quality.map((rule) => [rule.metric, rule.column, rule.columns])).toEqual([
      ['duplicateValues', null, ['stationid', 'unit_price']],
      ['nullValues', 'unit_price', undefined],
    ]);
    expect(dataset.columns[2]!.references).toEqual([{ dataset: 'sales/air_quality', column: 'stationid' }]);
  });

  it('validates a CSV whose header is FIELD_ONE and Unit Price, reporting lakehouse column names', async () => {
    const { report, outputs } = await validateWritten('csv', 'StationID,FIELD_ONE,Unit Price\nS1,3,1.5\nS2,-1,\n');
    expect(report.rowCount).toBe(2);
    const failed = report.rules.filter((rule) => !rule.passed);
    expect(failed.map(({ id, column, failedCount, samples }) => ({ id, column, failedCount, samples }))).toEqual([
      { id: 'field_one.minimum', column: 'field_one', failedCount: 1, samples: [{ row: 2, value: '-1' }] },
      { id: 'unit_price.nullValues', column: 'unit_price', failedCount: 1, samples: [{ row: 2, value: null }] },
    ]);
    expect(outputs.validated).toBeUndefined();
  });

  it('names a missing column as the file should carry it', async () => {
    const { report } = await validateWritten('csv', 'StationID,field_one,Unit Price\nS1,3,1.5\n');
    expect(report.passed).toBe(false);
    expect(report.rules[0]).toMatchObject({ kind: 'schema', passed: false });
    expect(report.rules[0]!.message).toContain("'FIELD_ONE'");
  });

  it('validates JSON Lines whose keys are written as in the contract, and writes lakehouse columns', async () => {
    const { report, outputs } = await validateWritten(
      'json',
      ['{"StationID":"S1","FIELD_ONE":3,"Unit Price":1.50}', '{"StationID":"S2","FIELD_ONE":4,"Unit Price":2}'].join('\n') + '\n',
    );
    expect(report.rules.filter((rule) => !rule.passed)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(await validatedRows(outputs.validated!)).toEqual([
      { stationid: 'S1', field_one: 3n, unit_price: 1.5 },
      { stationid: 'S2', field_one: 4n, unit_price: 2 },
    ]);
  });

  it('validates Parquet whose columns are named as the contract writes them', async () => {
    const { report, outputs } = await validateWritten(
      'parquet',
      `SELECT * FROM (VALUES ('S1', 3::BIGINT, 1.5::DOUBLE), ('S2', 4, NULL)) AS t("StationID", "FIELD_ONE", "Unit Price")`,
    );
    expect(report.rules.filter((rule) => !rule.passed).map(({ id, failedCount }) => ({ id, failedCount }))).toEqual([
      { id: 'unit_price.nullValues', failedCount: 1 },
    ]);
    expect(outputs.validated).toBeUndefined();
  });
});

async function validatedRows(parquet: string): Promise<Record<string, unknown>[]> {
  return withDuckDb(async (connection) =>
    (await connection.runAndReadAll(`SELECT stationid, field_one, unit_price FROM read_parquet('${parquet}') ORDER BY _row`)).getRowObjectsJS(),
  );
}

describe('contracts list --json says how names were derived', () => {
  it('lists the table, the rule, and each column with its lakehouse name and its name in the file', async () => {
    const root = writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/air_quality.yaml': PRODUCER_CONTRACT('csv') });
    const listed = await runLakehouseInProcess(['contracts', 'list', root, '--json']);
    expect(listed.status).toBe(0);
    const [row] = JSON.parse(listed.stdout) as { dataset: string; table: string; nameRule: string; columns: { name: string; nameInFile: string }[] }[];
    expect(row).toMatchObject({ dataset: 'air_quality', table: 'air_quality_v2', nameRule: LAKEHOUSE_NAME_RULE });
    expect(row!.columns.map(({ name, nameInFile }) => ({ name, nameInFile }))).toEqual([
      { name: 'stationid', nameInFile: 'StationID' },
      { name: 'field_one', nameInFile: 'FIELD_ONE' },
      { name: 'unit_price', nameInFile: 'Unit Price' },
    ]);
  });

  it('names a rule nothing enforces by its column\'s lakehouse name, as every other rule', () => {
    const root = writeTree(
      salesOrdersContract(['      - name: Unit Price', '        logicalType: number', '        quality:', '          - type: text', '            description: priced by the shop'].join('\n')),
    );
    const [dataset] = loadContractFile(join(root, 'sales/orders.yaml')).datasets;
    expect(dataset!.notEnforced.map(({ kind, column }) => ({ kind, column }))).toEqual([{ kind: 'text', column: 'unit_price' }]);
  });
});
