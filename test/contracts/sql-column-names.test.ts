import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalog, loadContractFile } from '../../lib/contracts/load.ts';
import { validateFile } from '../../lib/validation/validate-file.ts';
import { SALES_DOMAIN, writeTree, yaml } from './helpers/contract-tree.ts';

/**
 * A producer's SQL names columns as the producer wrote them ("Unit Price", a physicalName), while
 * the validator's rows carry lakehouse names (unit_price): each rule is built with the lakehouse's.
 */
const CONTRACT = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: sales-order-lines
  version: 1.0.0
  status: active
  servers:
    - server: landing
      type: s3
      location: s3://landing/sales/order_lines/
      format: csv
  schema:
    - name: Order Lines
      quality:
        - id: no-negative-price
          type: sql
          query: SELECT COUNT(*) FROM {object} WHERE "Unit Price" < 0
          mustBe: 0
        - id: big-orders
          type: sql
          query: |-
            SELECT COUNT(*) FROM {object} AS l
            WHERE l."Unit Price" * "Order Qty" > 1000 AND "Note" <> '"Unit Price"' -- "Unit Price"
          mustBe: 0
        - id: total
          type: sql
          query: SELECT SUM("Unit Price" * "QTY") FROM ${'${model}'}
          mustBeLessThan: 10000
      properties:
        - name: Unit Price
          logicalType: number
          quality:
            - id: price-cap
              type: sql
              query: SELECT COUNT(*) FROM {object} WHERE {property} > 100
              mustBe: 0
        - name: QTY
          physicalName: Order Qty
          logicalType: integer
        - name: Note
          logicalType: string
`;

const root = writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/order_lines.yaml': CONTRACT });
const [dataset] = loadContractFile(join(root, 'sales/order_lines.yaml')).datasets;

describe('a sql rule may name columns as the contract writes them', () => {
  it('reads a quoted name as written, or as the file names it, as the lakehouse column; strings and comments stay as written', () => {
    expect(dataset!.quality.map((rule) => [rule.id, rule.query])).toEqual([
      ['no-negative-price', 'SELECT COUNT(*) FROM {object} WHERE "unit_price" < 0'],
      ['big-orders', 'SELECT COUNT(*) FROM {object} AS l\nWHERE l."unit_price" * "qty" > 1000 AND "note" <> \'"Unit Price"\' -- "Unit Price"'],
      ['total', 'SELECT SUM("unit_price" * "qty") FROM ${model}'],
      ['price-cap', 'SELECT COUNT(*) FROM {object} WHERE {property} > 100'],
    ]);
    expect(dataset!.quality[0]!.rowsQuery).toBe('SELECT _row FROM {object} WHERE "unit_price" < 0');
  });

  it('runs every rule on the rows, counting the rows each names', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sql-column-names-'));
    const file = join(work, 'lines.csv');
    writeFileSync(file, 'Unit Price,Order Qty,Note\n5,2,a\n500,3,b\n-1,1,c\n');
    const { report } = await validateFile({ dataset: dataset!, file, outDir: join(work, 'out'), ingestTime: new Date('2026-11-21T06:00:00Z') }).finally(() =>
      rmSync(work, { recursive: true, force: true }),
    );
    const sql = report.rules.filter((rule) => ['no-negative-price', 'big-orders', 'total', 'price-cap'].includes(rule.id));
    expect(sql.map(({ id, passed, failedCount, message }) => ({ id, passed, failedCount, error: /failed/.test(message ?? '') }))).toEqual([
      { id: 'no-negative-price', passed: false, failedCount: 1, error: false },
      { id: 'big-orders', passed: false, failedCount: 1, error: false },
      { id: 'total', passed: true, failedCount: 0, error: false },
      { id: 'price-cap', passed: false, failedCount: 1, error: false },
    ]);
  });
});

/** Issue 13 (second review #3): a nested field named as written, after its object column and a dot. */
const NESTED = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: sales-shipments
  version: 1.0.0
  status: active
  servers:
    - server: landing
      type: s3
      location: s3://landing/sales/shipments/
      format: json
      delimiter: new_line
  schema:
    - name: Shipments
      quality:
        - id: no-zip
          type: sql
          query: SELECT COUNT(*) FROM {object} AS s WHERE s."Ship To"."Zip Code" IS NULL OR ship_to . "Geo"."Lat" > 90
          mustBe: 0
      properties:
        - name: Id
          logicalType: integer
        - name: Ship To
          logicalType: object
          properties:
            - name: Zip Code
              logicalType: string
            - name: Geo
              logicalType: object
              properties:
                - name: Lat
                  logicalType: number
`;

describe('a sql rule may name nested fields as the contract writes them', () => {
  const nestedRoot = writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/shipments.yaml': NESTED });
  const [shipments] = loadContractFile(join(nestedRoot, 'sales/shipments.yaml')).datasets;

  it("reads a quoted name after an object column and a dot as that object's field, at any depth", () => {
    expect(shipments!.quality.map((rule) => rule.query)).toEqual([
      'SELECT COUNT(*) FROM {object} AS s WHERE s."ship_to"."zip_code" IS NULL OR ship_to . "geo"."lat" > 90',
    ]);
  });

  it('refuses at check a quoted name after an object column that is none of its fields: it would fail every file', () => {
    const broken = NESTED.replace('AS s WHERE s."Ship To"."Zip Code"', 'AS s WHERE s."Ship To"."Id"');
    const { problems } = checkCatalog(writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/shipments.yaml': broken }));
    expect(problems.map((problem) => [problem.line, problem.column, problem.message])).toEqual([
      [expect.any(Number), expect.any(Number), "schema[0].quality[0].query: 'Id' is not a field of object column 'Ship To' (its fields: Zip Code, Geo)"],
    ]);
  });

  it('runs the rule on the rows of a real file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sql-nested-names-'));
    const file = join(work, 'shipments.jsonl');
    const rows = [
      { Id: 1, 'Ship To': { 'Zip Code': '12345', Geo: { Lat: 50 } } },
      { Id: 2, 'Ship To': { 'Zip Code': null, Geo: { Lat: 10 } } },
      { Id: 3, 'Ship To': { 'Zip Code': '1', Geo: { Lat: 95 } } },
    ];
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
    const { report } = await validateFile({ dataset: shipments!, file, outDir: join(work, 'out'), ingestTime: new Date('2026-11-21T06:00:00Z') }).finally(() =>
      rmSync(work, { recursive: true, force: true }),
    );
    const rule = report.rules.find((candidate) => candidate.id === 'no-zip')!;
    expect({ passed: rule.passed, failedCount: rule.failedCount, message: rule.message }).toEqual({ passed: false, failedCount: 2, message: undefined });
  });
});
