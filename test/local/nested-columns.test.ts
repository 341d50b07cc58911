/**
 * Issue 13 item 6 end to end: a JSON Lines dataset with an object column (a struct with a nested
 * object), an array of objects, an array of strings and a time of day goes through the synthesized
 * pipeline offline into the silver table of the local lake, where a query reads the nested values
 * back, and a gold model reads a nested field like any column. A date delivered as dd.MM.yyyy, as
 * its contract's format says, lands in silver as that date.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnvironmentOf } from '../../lib/cli/offline-environment.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import { silverTableName } from '../../lib/config/names.ts';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import { createLakehouseApp } from '../../lib/stacks/create-lakehouse-app.ts';
import { jsonValue } from '../../lib/validation/json-value.ts';
import type { JsonValue } from '../../lib/validation/report.ts';
import { repoRoot, type RuntimeFixture, startRuntime, tableRows } from './runtime/helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'nested-columns-'));
const contracts = join(scratch, 'contracts');
const INGEST_TIME = new Date('2026-11-21T06:00:00Z');

const CONTRACT = `apiVersion: v3.1.0
kind: DataContract
id: urn:datacontract:post:parcels
version: 1.0.0
status: active
servers:
  - server: landing
    type: s3
    location: s3://landing/post/parcels/
    format: json
    delimiter: new_line
customProperties:
  - property: onViolation
    value: quarantine-rows
schema:
  - name: parcels
    properties:
      - name: parcel_id
        logicalType: string
        primaryKey: true
      - name: dims
        logicalType: object
        required: true
        properties:
          - name: weight_kg
            logicalType: number
            required: true
          - name: box
            logicalType: object
            properties:
              - name: width_cm
                logicalType: integer
              - name: label
                logicalType: string
      - name: scans
        logicalType: array
        items:
          logicalType: object
          properties:
            - name: at
              logicalType: timestamp
              required: true
            - name: depot
              logicalType: string
      - name: labels
        logicalType: array
        items:
          logicalType: string
      - name: cutoff
        logicalType: time
      - name: shipped_on
        logicalType: date
        logicalTypeOptions:
          format: dd.MM.yyyy
`;

const MODEL = `---
materialized: table
---
SELECT "parcel_id", "dims"."weight_kg" AS "weight_kg" FROM {{ ref('parcels') }}
`;

/** Two clean rows and one whose nested weight is text, quarantined on its own. */
const DELIVERY = [
  '{"parcel_id":"P1","dims":{"weight_kg":1.25,"box":{"width_cm":30,"label":"S"}},"scans":[{"at":"2026-11-20T08:00:00Z","depot":"AMS"},{"at":"2026-11-20T17:30:00+01:00"}],"labels":["fragile"],"cutoff":"17:45:00","shipped_on":"20.11.2026"}',
  '{"parcel_id":"P2","dims":{"weight_kg":3,"box":null},"scans":[],"labels":null,"cutoff":"08:00:00.250","shipped_on":"01.02.2026"}',
  '{"parcel_id":"P3","dims":{"weight_kg":"heavy"},"scans":[],"labels":[],"cutoff":"09:00:00","shipped_on":"2026-11-20"}',
];

let fixture: RuntimeFixture;

beforeAll(async () => {
  mkdirSync(join(contracts, 'post', 'transforms'), { recursive: true });
  writeFileSync(join(contracts, 'post', 'domain.yaml'), 'domain: post\nowner:\n  team: post-data\n  email: post-data@example.com\nalerts:\n  emails: [post-oncall@example.com]\n');
  writeFileSync(join(contracts, 'post', 'parcels.yaml'), CONTRACT);
  writeFileSync(join(contracts, 'post', 'transforms', 'parcel_weights.sql'), MODEL);
  const app = await createLakehouseApp(contracts, { outdir: join(scratch, 'cdk.out'), context: readCdkJsonContext(join(repoRoot, 'cdk.json')) });
  fixture = await startRuntime({ contractsRoot: contracts, synthesized: offlineEnvironmentOf(app, 'dev') });
}, 240_000);

afterAll(async () => {
  await fixture?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('object, array and time columns through the offline pipeline', () => {
  it('load into silver as a struct, lists and the time text, and a query reads nested fields back', async () => {
    const { runtime } = fixture;
    const file = join(scratch, 'parcels.jsonl');
    writeFileSync(file, `${DELIVERY.join('\n')}\n`);
    const run = await runtime.run('post/parcels', file, { ingestTime: INGEST_TIME });
    expect(run).toMatchObject({ status: 'SUCCEEDED', rowsLoaded: 2, rowsQuarantined: 1 });

    const dataset = runtime.dataset('post/parcels');
    const rows = await tableRows(runtime, dataset, 'parcel_id');
    expect(rows.map(({ parcel_id, dims, scans, labels, cutoff, shipped_on }) => ({ parcel_id, dims, scans, labels, cutoff, shipped_on }))).toEqual([
      {
        parcel_id: 'P1',
        dims: { weight_kg: 1.25, box: { width_cm: 30, label: 'S' } },
        scans: [
          { at: '2026-11-20T08:00:00.000Z', depot: 'AMS' },
          { at: '2026-11-20T16:30:00.000Z', depot: null },
        ],
        labels: ['fragile'],
        cutoff: '17:45:00',
        shipped_on: '2026-11-20',
      },
      { parcel_id: 'P2', dims: { weight_kg: 3, box: null }, scans: [], labels: null, cutoff: '08:00:00.250', shipped_on: '2026-02-01' },
    ]);

    const relation = `"${runtime.database(dataset)}"."${silverTableName(dataset)}"`;
    expect(
      await query(
        runtime,
        `SELECT parcel_id, dims.box.width_cm AS width, scans[1].depot AS first_depot, len(scans) AS scan_count, typeof(shipped_on) AS shipped_type FROM ${relation} ORDER BY parcel_id`,
      ),
    ).toEqual([
      { parcel_id: 'P1', width: 30, first_depot: 'AMS', scan_count: 2, shipped_type: 'DATE' },
      { parcel_id: 'P2', width: null, first_depot: null, scan_count: 0, shipped_type: 'DATE' },
    ]);
  });

  it('feed a gold model that reads a nested field like any column', async () => {
    const { runtime } = fixture;
    expect((await runtime.build()).map((build) => build.status)).toEqual(['SUCCEEDED']);
    expect(await query(runtime, `SELECT * FROM "${runtime.database(runtime.dataset('post/parcels'))}"."parcel_weights" ORDER BY parcel_id`)).toEqual([
      { parcel_id: 'P1', weight_kg: 1.25 },
      { parcel_id: 'P2', weight_kg: 3 },
    ]);
  });
});

async function query(runtime: RuntimeFixture['runtime'], sql: string): Promise<Record<string, JsonValue>[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await attachLake(connection, runtime.lake);
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, jsonValue(value)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
