/**
 * Names Athena reserves: a keyed, partitioned dataset `order` with columns `select`, `from` and
 * `table`, a keyless dataset `values` with `where` and `limit`, and models `group` (incremental),
 * `join` (table) and `case` (view) go through the whole offline path: the synthesized pipelines
 * load them, the offline build publishes the models, and the domain's synthesized maintenance
 * compacts and vacuums the silver and the gold tables. Every Athena statement of every state
 * machine of that app quotes those names (test/stacks/shipped-app-deployment.test.ts checks the
 * relations of the shipped app).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEnvironmentOf } from '../../lib/cli/offline-environment.ts';
import { readCdkJsonContext } from '../../lib/config/cdk-json.ts';
import { maintenanceStateMachineName } from '../../lib/config/names.ts';
import type { TaskHandler } from '../../lib/local/stepfunctions/task-handlers.ts';
import { MAINTENANCE_STATES as M } from '../../lib/pipeline/maintenance-steps.ts';
import { createLakehouseApp } from '../../lib/stacks/create-lakehouse-app.ts';
import { athenaStatements, unquotedAthenaNames } from '../stacks/athena-identifiers.ts';
import { repoRoot, type RuntimeFixture, startRuntime, tableRows } from './runtime/helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'reserved-names-'));
const contracts = join(scratch, 'contracts');
const INGEST_TIME = new Date('2026-11-21T06:00:00Z');
const LATER = new Date('2026-11-21T07:00:00Z');
const DATABASE = 'acme_dev_shop';

function contract(dataset: string, extra: readonly string[], properties: readonly string[]): string {
  return [
    'apiVersion: v3.1.0',
    'kind: DataContract',
    `id: urn:datacontract:shop:${dataset}`,
    `name: Shop ${dataset}`,
    'version: 1.0.0',
    'status: active',
    'servers:',
    '  - server: landing',
    '    type: s3',
    `    location: s3://landing/shop/${dataset}/`,
    '    format: csv',
    ...extra,
    'schema:',
    `  - name: ${dataset}`,
    '    logicalType: object',
    '    properties:',
    ...properties,
    '',
  ].join('\n');
}

function model(frontMatter: readonly string[], sql: readonly string[]): string {
  return ['---', ...frontMatter, '---', ...sql, ''].join('\n');
}

/** A keyed, partitioned dataset with retention, a keyless one, and an incremental, a table and a view model: every kind of statement. */
function writeContracts(): void {
  mkdirSync(join(contracts, 'shop', 'transforms'), { recursive: true });
  writeFileSync(
    join(contracts, 'shop', 'domain.yaml'),
    'domain: shop\nowner:\n  team: shop-data\n  email: shop-data@example.com\nalerts:\n  emails: [shop-oncall@example.com]\nmaintenance:\n  schedule: cron(0 3 * * ? *)\n',
  );
  writeFileSync(
    join(contracts, 'shop', 'order.yaml'),
    contract(
      'order',
      ['slaProperties:', '  - property: retention', '    value: 30', '    unit: d'],
      [
        '      - name: select',
        '        logicalType: string',
        '        primaryKey: true',
        '        primaryKeyPosition: 1',
        '      - name: from',
        '        logicalType: date',
        '        primaryKey: true',
        '        primaryKeyPosition: 2',
        '        partitioned: true',
        '        partitionKeyPosition: 1',
        '      - name: table',
        '        logicalType: integer',
      ],
    ),
  );
  writeFileSync(
    join(contracts, 'shop', 'values.yaml'),
    contract(
      'values',
      ['customProperties:', '  - property: loadMode', '    value: append'],
      ['      - name: where', '        logicalType: string', '      - name: limit', '        logicalType: integer'],
    ),
  );
  // Incremental on new dates.
  writeFileSync(
    join(contracts, 'shop', 'transforms', 'group.sql'),
    model(
      ['materialized: incremental', 'unique_key: [from]', 'columns:', '  - name: from', '    tests: [not_null, unique]'],
      [
        'SELECT "from", CAST(count(*) AS BIGINT) AS "orders", CAST(sum("table") AS BIGINT) AS "table"',
        "FROM {{ ref('order') }}",
        "{% if is_incremental() %}WHERE \"from\" > coalesce((SELECT max(\"from\") FROM {{ this }}), DATE '1970-01-01'){% endif %}",
        'GROUP BY "from"',
      ],
    ),
  );
  writeFileSync(
    join(contracts, 'shop', 'transforms', 'join.sql'),
    model(['materialized: table', 'columns:', '  - name: where', '    tests: [unique]'], ['SELECT "where", CAST(sum("limit") AS BIGINT) AS "limit"', "FROM {{ ref('values') }}", 'GROUP BY "where"']),
  );
  writeFileSync(join(contracts, 'shop', 'transforms', 'case.sql'), model(['materialized: view'], ['SELECT "from", "table" FROM {{ ref(\'group\') }}']));
}

function delivery(name: string, header: string, lines: readonly string[]): string {
  const file = join(scratch, name);
  writeFileSync(file, [header, ...lines, ''].join('\n'));
  return file;
}

let fixture: RuntimeFixture;
let shopStack: Template;
let machines: Awaited<ReturnType<ReturnType<typeof offlineEnvironmentOf>['stateMachines']>>;

beforeAll(async () => {
  writeContracts();
  const outdir = join(scratch, 'cdk.out');
  const app = await createLakehouseApp(contracts, { outdir, context: readCdkJsonContext(join(repoRoot, 'cdk.json')) });
  const synthesized = offlineEnvironmentOf(app, 'dev');
  shopStack = Template.fromStack(app.stages.find((stage) => stage.stageName === 'dev')!.domains.get('shop')!.domain);
  machines = await synthesized.stateMachines();
  fixture = await startRuntime({ contractsRoot: contracts, synthesized });
}, 240_000);

afterAll(async () => {
  await fixture?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('reserved words as dataset, column and model names', () => {
  it('are quoted in every Athena statement of every synthesized state machine', () => {
    expect(machines.map((machine) => machine.name)).toEqual(
      expect.arrayContaining(['acme-dev-shop-pipeline-order', 'acme-dev-shop-maintenance', 'acme-dev-shop-build']),
    );
    expect(athenaStatements(machines).length).toBeGreaterThan(10);
    expect(unquotedAthenaNames(machines, ['order', 'values', 'select', 'from', 'table', 'where', 'limit', 'group', 'join', 'case', DATABASE])).toEqual([]);
  });

  it("are maintained, silver and gold, by the domain's maintenance, whose role reaches the gold tables' files", () => {
    const maintenance = machines.find((machine) => machine.name === 'acme-dev-shop-maintenance')!;
    const listed = (maintenance.definition.States[M.listTables] as unknown as { Result: { table: string; applyRetention?: string }[] }).Result;
    expect(listed.map((item) => [item.table, item.applyRetention !== undefined])).toEqual([
      [`${DATABASE}.order`, true],
      [`${DATABASE}.values`, false],
      [`${DATABASE}.group`, false],
      [`${DATABASE}.group__staging`, false],
      [`${DATABASE}.join`, false],
      [`${DATABASE}.join__staging`, false],
    ]);
    const objectsUnder = (zone: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::ImportValue': `acme-dev-platform-${zone}BucketName` }, '/shop/*']],
    });
    const bucket = (zone: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::ImportValue': `acme-dev-platform-${zone}BucketName` }]] });
    shopStack.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^MaintenanceRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'FindBuckets', Resource: Match.arrayWith([bucket('Silver'), bucket('Gold')]) }),
          Match.objectLike({
            Sid: 'RewriteAndExpireTableFiles',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
            Resource: [objectsUnder('Silver'), objectsUnder('Gold')],
          }),
        ]),
      },
    });
  });

  it('load through the synthesized pipeline, build into gold, and are maintained, silver and gold', async () => {
    const { runtime } = fixture;
    const order = runtime.dataset('shop/order');
    const first = await runtime.run('shop/order', delivery('first.csv', 'select,from,table', ['A,2026-11-19,1', 'B,2026-11-19,2', 'C,2026-11-20,3']), { ingestTime: INGEST_TIME });
    expect(first.status).toBe('SUCCEEDED');
    expect(first.visitedStates).toContain('Load');
    const values = await runtime.run('shop/values', delivery('values.csv', 'where,limit', ['here,1', 'there,2', 'here,3']), { ingestTime: INGEST_TIME });
    expect(values.status).toBe('SUCCEEDED');
    expect((await runtime.build()).map((run) => run.status)).toEqual(['SUCCEEDED']);
    const second = await runtime.run('shop/order', delivery('second.csv', 'select,from,table', ['D,2026-11-21,4', 'E,2026-11-21,5']), { ingestTime: LATER });
    expect(second.status).toBe('SUCCEEDED');
    const outcomes = (await runtime.build()).flatMap((run) => run.models);
    expect(new Map(outcomes.map((outcome) => [outcome.model, outcome.status]))).toEqual(
      new Map([
        ['shop/group', 'published'],
        ['shop/case', 'published'],
        ['shop/join', 'published'],
      ]),
    );

    expect((await tableRows(runtime, order, '"select"')).map((row) => [row['select'], row['table']])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 3],
      ['D', 4],
      ['E', 5],
    ]);
    // The second load wrote its new keys into a file of their own: something to compact.
    expect(runtime.lake.currentSnapshot(DATABASE, 'order').files).toHaveLength(2);
    const gold = runtime.lake.currentSnapshot(DATABASE, 'group');

    const queries: [string, string][] = [];
    const recordQuery = (state: string, handler: TaskHandler): TaskHandler => async (input) => {
      queries.push([state, String((input as { QueryString?: unknown }).QueryString)]);
      return handler(input);
    };
    const maintained = await runtime.maintain('shop', { wrapTask: recordQuery });

    expect(maintained.stateMachine).toBe(maintenanceStateMachineName(runtime.environment.identity, 'shop'));
    expect(maintained.status).toBe('SUCCEEDED');
    expect(queries).toEqual(
      expect.arrayContaining([
        [M.applyRetention, `DELETE FROM "${DATABASE}"."order" WHERE "ingest_date" < current_date - INTERVAL '30' DAY`],
        [M.optimize, `OPTIMIZE ${DATABASE}.\`order\` REWRITE DATA USING BIN_PACK`],
        [M.vacuum, `VACUUM ${DATABASE}.\`order\``],
        [M.optimize, `OPTIMIZE ${DATABASE}.\`group\` REWRITE DATA USING BIN_PACK`],
        [M.vacuum, `VACUUM ${DATABASE}.\`group\``],
        [M.optimize, `OPTIMIZE ${DATABASE}.group__staging REWRITE DATA USING BIN_PACK`],
      ]),
    );
    expect(queries.filter(([state, query]) => state === M.applyRetention && query.includes('group'))).toEqual([]);
    expect(runtime.lake.currentSnapshot(DATABASE, 'order').files).toHaveLength(1);
    expect(runtime.lake.currentSnapshot(DATABASE, 'order').summary.totalRows).toBe(5);
    // The offline build publishes a gold table as one file: compaction leaves it as it was.
    expect(runtime.lake.currentSnapshot(DATABASE, 'group')).toEqual(gold);
    expect(gold.summary.totalRows).toBe(3);
  });
});
