import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { lintContract } from '../../lib/contracts/lint.ts';
import { standardValidator } from '../../lib/contracts/lint-standard.ts';
import { checkContractFile, loadContractFile } from '../../lib/contracts/load.ts';
import type { Dataset, FileFormat } from '../../lib/contracts/model.ts';
import { ContractError, formatProblem, type ContractProblem } from '../../lib/contracts/problems.ts';
import { runs } from '../fuzz/runs.ts';

/**
 * Any contract the ODCS standard's own schema accepts (v3.0.0 to v3.1.0, each checked against its
 * version's schema), as another tool or a producer could write it, is either loaded into datasets (standalone, as `validate --contract` loads it) or refused
 * with problems at a line and column of the file, never an uncaught exception; and `contracts
 * lint` agrees: it finds nothing the standard forbids, and every refusal it reports is one the
 * loader makes.
 */

const workspace = mkdtempSync(join(tmpdir(), 'any-valid-contract-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** Present half the time. */
const optional = <T,>(value: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), value);
/** Present a quarter of the time: the fields that make a contract unusual. */
const rarely = <T,>(value: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: value, weight: 1 });
/** Mostly what producers write, sometimes what only some tools write or what the lakehouse refuses. */
const mostly = <T,>(typical: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>) => fc.oneof({ arbitrary: typical, weight: 4 }, { arbitrary: unusual, weight: 1 });

/** Leave out the undefined fields, as a YAML writer would. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

const writtenName = mostly(
  fc.constantFrom('order_id', 'Amount', 'Air_Quality', 'FIELD_ONE', 'placed_at', 'ts', 'items', 'payload', 'Orders', 'x'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_ ]{0,10}$/),
);
const logicalTypes = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'time', 'object', 'array'] as const;
type LogicalType = (typeof logicalTypes)[number];
const physicalType = fc.constantFrom(
  'int4', 'bigint', 'INTEGER', 'uuid', 'bpchar', 'NUMBER', 'float(3,2)', 'decimal(10,2)', 'varchar(2)', 'char(3)', 'text', 'string',
  'timestamp(6)', 'TIMESTAMP_NTZ', 'DATE', 'time', 'boolean', 'double', 'struct<a:int>', 'array<string>', 'json', 'geography',
);
/** The physical types a source would give each logical type, so most pairs fit. */
const physicalTypeOf: Readonly<Record<LogicalType, readonly string[]>> = {
  string: ['varchar(20)', 'text', 'uuid', 'bpchar', 'char(3)', 'string'],
  integer: ['int4', 'bigint', 'INTEGER', 'NUMBER'],
  number: ['decimal(10,2)', 'double', 'float(3,2)', 'NUMBER'],
  boolean: ['boolean'],
  date: ['DATE', 'date'],
  timestamp: ['timestamp(6)', 'TIMESTAMP_NTZ', 'timestamptz'],
  time: ['time'],
  object: ['struct<a:int>', 'json'],
  array: ['array<string>'],
};
const dateText = mostly(fc.constantFrom('2024-01-31', '2020-02-29'), fc.constantFrom('31.01.2024', 'yesterday', '12:30:00'));
const number = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }));

/** logicalTypeOptions the standard defines for each logical type, some of them contradictory. */
function typeOptions(type: LogicalType | undefined): fc.Arbitrary<Record<string, unknown> | undefined> {
  const options = (fields: Record<string, fc.Arbitrary<unknown>>) =>
    rarely(fc.record(fields, { requiredKeys: [] }).map(defined));
  switch (type) {
    case 'string':
      return options({
        minLength: fc.nat(20),
        maxLength: fc.nat(20),
        pattern: fc.constantFrom('^[A-Z]+$', '[0-9]{3}', '^(?=a)', '.*'),
        format: fc.constantFrom('email', 'uuid', 'uri', 'hostname', 'password', 'date-time'),
      });
    case 'integer':
    case 'number':
      return options({ minimum: number, maximum: number, exclusiveMinimum: number, exclusiveMaximum: number, multipleOf: fc.constantFrom(1, 2, 0.5, 0.01), format: fc.constantFrom('i32', 'i64', 'f64') });
    case 'date':
    case 'timestamp':
    case 'time':
      return options({
        format: fc.constantFrom('yyyy-MM-dd', 'dd.MM.yyyy', 'yyyy-MM-dd HH:mm:ss', 'HH:mm:ss'),
        minimum: dateText,
        maximum: dateText,
        timezone: fc.boolean(),
        // Unknown zones too, so the refusal with a did-you-mean is reached at a line and column.
        defaultTimezone: mostly(fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York'), fc.constantFrom('Europe/Berln', 'Mars/Olympus', '')),
      });
    case 'array':
      return options({ minItems: fc.nat(5), maxItems: fc.nat(5), uniqueItems: fc.boolean() });
    case 'object':
      return options({ minProperties: fc.nat(3), maxProperties: fc.nat(3), required: fc.array(writtenName, { maxLength: 2 }) });
    default:
      return fc.constant(undefined);
  }
}

const operators = ['mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo'] as const;
const operator = fc.oneof(
  fc.tuple(fc.constantFrom(...operators), fc.oneof(fc.nat(100), fc.constant(0.5))).map(([name, value]) => ({ [name]: value })),
  fc.tuple(fc.constantFrom('mustBeBetween', 'mustNotBeBetween'), fc.nat(50), fc.nat(50)).map(([name, low, high]) => ({ [name]: [low, low + high] })),
);
const severity = optional(mostly(fc.constantFrom('error', 'warning', 'warn', 'info'), fc.constant('critical')));

/** Quality rules of every type the standard knows: library metrics, sql, text and custom engines. */
function qualityRule(columnLevel: boolean): fc.Arbitrary<Record<string, unknown>> {
  const library = fc
    .tuple(
      fc.constantFrom(...(columnLevel ? ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues'] : ['rowCount', 'duplicateValues'])),
      operator,
      optional(fc.constantFrom('rows', 'percent')),
      severity,
      rarely(fc.constantFrom({ validValues: ['a', 'b', null] }, { pattern: '^[a-z]+$' }, { missingValues: ['', 'N/A'] }, { properties: ['order_id'] })),
      optional(fc.constantFrom('nulls', 'orders have no nulls')),
      optional(fc.constant('library')),
    )
    .map(([metric, threshold, unit, level, args, description, type]) =>
      defined({ type, metric, ...threshold, unit, severity: level, arguments: args, description }),
    );
  const sql = fc
    .tuple(
      fc.constantFrom(
        'SELECT COUNT(*) FROM {object}',
        'SELECT COUNT(*) FROM ${model} WHERE 1 = 0',
        'SELECT COUNT(*) FROM {object} WHERE {property} IS NULL',
        'SELECT COUNT(*) FROM {table}',
        'DROP TABLE x',
      ),
      operator,
      severity,
    )
    .map(([query, threshold, level]) => defined({ type: 'sql', query, ...threshold, severity: level }));
  const text = fc.constant({ type: 'text', description: 'Every order is reviewed by a human within a day.' });
  const custom = fc
    .tuple(
      fc.constantFrom('soda', 'great-expectations', 'dqx', 'montecarlo'),
      fc.constantFrom<unknown>(
        'checks for orders:\n  - row_count > 0',
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'order_id' } },
        { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1, max_value: 10 } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'order_id', value_set: [1, 2] } },
      ),
    )
    .map(([engine, implementation]) => ({ type: 'custom', engine, implementation }));
  return fc.oneof({ arbitrary: library, weight: 4 }, sql, text, custom);
}

/** Nested columns go two levels deep; below that, only scalar types. */
const typesAt = (depth: number): readonly LogicalType[] => (depth < 2 ? logicalTypes : logicalTypes.filter((type) => type !== 'object' && type !== 'array'));

const leafProperty = (depth: number): fc.Arbitrary<Record<string, unknown>> =>
  mostly(fc.constantFrom(...typesAt(depth)), fc.constant(undefined)).chain((logicalType) =>
    fc
      .record(
        {
          name: writtenName,
          physicalName: rarely(fc.constantFrom('FIELD_ONE', 'col_a', 'Amount')),
          physicalType: optional(logicalType === undefined ? physicalType : mostly(fc.constantFrom(...physicalTypeOf[logicalType]), physicalType)),
          logicalTypeOptions: typeOptions(logicalType),
          required: optional(fc.boolean()),
          unique: rarely(fc.boolean()),
          primaryKey: rarely(fc.boolean()),
          partitioned: rarely(fc.boolean()),
          classification: optional(fc.constantFrom('public', 'restricted', 'PII', 'internal-only')),
          tags: rarely(fc.constantFrom(['pii'], ['finance', 'core'])),
          description: optional(fc.constant('a column')),
          examples: rarely(fc.constant(['a', 1])),
          quality: rarely(fc.array(qualityRule(true), { maxLength: 2 })),
          properties: logicalType === 'object' ? mostly(properties(depth + 1), fc.constant(undefined)) : fc.constant(undefined),
          items:
            logicalType === 'array'
              ? mostly(
                  fc.constantFrom(...typesAt(depth + 1)).chain((itemType) =>
                    (itemType === 'object' ? properties(depth + 2) : fc.constant(undefined)).map((fields) => defined({ logicalType: itemType, properties: fields })),
                  ),
                  fc.constant(undefined),
                )
              : fc.constant(undefined),
        },
        { requiredKeys: ['name'] },
      )
      // A key position only beside primaryKey, as producers write it (alone, the lakehouse refuses it).
      .chain((property) => (property.primaryKey === true ? rarely(fc.constantFrom(-1, 1)) : fc.constant(undefined)).map((primaryKeyPosition) => defined({ ...property, logicalType, primaryKeyPosition }))),
  );

/** Columns of one dataset or object, named apart (a repeated name is refused, as it should be, but says little). */
function properties(depth: number): fc.Arbitrary<Record<string, unknown>[]> {
  return fc.uniqueArray(leafProperty(depth), { minLength: 1, maxLength: depth === 0 ? 4 : 2, selector: (property) => String(property['name']).toLowerCase() });
}

const schemaObject = fc
  .record(
    {
      name: writtenName,
      physicalName: optional(fc.constantFrom('orders_v1', 'ORDERS')),
      physicalType: optional(fc.constantFrom('table', 'view', 'topic', 'file')),
      logicalType: optional(fc.constant('object')),
      description: optional(fc.constant('orders as placed')),
      properties: properties(0),
      quality: rarely(fc.array(qualityRule(false), { maxLength: 3 })),
    },
    { requiredKeys: ['name', 'properties'] },
  )
  .map(defined);

const slaProperty = fc
  .record(
    {
      property: fc.constantFrom('freshness', 'latency', 'retention', 'frequency', 'availability', 'generalAvailability', 'endOfSupport', 'timeOfAvailability'),
      value: mostly(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom('PT15M', 'P1D', 'P1Y', '500ms')), fc.constantFrom<unknown>('2024-12-31', 'soon', true, 0)),
      unit: optional(mostly(fc.constantFrom('d', 'day', 'h', 'ms', 'y', 'min'), fc.constant('lightyears'))),
      element: rarely(fc.constantFrom('orders.placed', 'placed', 'FIELD_ONE', 'nowhere')),
      driver: optional(fc.constantFrom('regulatory', 'analytics', 'operational')),
    },
    { requiredKeys: ['property', 'value'] },
  )
  .map(defined);

const server = fc.oneof(
  fc
    .record({
      server: fc.constant('landing'),
      type: fc.constant('s3'),
      location: fc.constantFrom('s3://landing/sales/orders/', 's3://some-bucket/data/'),
      format: optional(mostly(fc.constantFrom('csv', 'parquet'), fc.constant('delta'))),
      delimiter: rarely(fc.constantFrom('new_line', 'array')),
    })
    .map(defined),
  fc.constant({ server: 'warehouse', type: 'postgres', host: 'db.example.com', port: 5432, database: 'shop', schema: 'public' }),
  fc.constant({ server: 'local', type: 'local', path: './orders.csv', format: 'csv' }),
);

const team = fc.oneof(
  fc.constant({ name: 'orders-team', members: [{ username: 'ada@example.com', role: 'owner' }] }),
  fc.constant([{ username: 'ada@example.com', role: 'owner' }, { username: 'bob', name: 'Bob' }]),
);

const contract = fc
  .record(
    {
      apiVersion: fc.constant('v3.1.0'),
      kind: fc.constant('DataContract'),
      id: fc.constantFrom('orders-contract', '53581432-6c55-4ba2-a65f-72344a91553a'),
      name: optional(fc.constant('Orders')),
      version: mostly(fc.constantFrom('1.0.0', '2.1.0', '0.0.1-beta'), fc.constant('v1')),
      status: fc.constantFrom('active', 'draft', 'proposed', 'deprecated'),
      domain: optional(fc.constantFrom('sales', 'Sales Ops')),
      tenant: optional(fc.constant('acme')),
      tags: optional(fc.constant(['orders'])),
      description: optional(fc.constant({ purpose: 'Orders placed online', usage: 'analytics' })),
      servers: optional(fc.array(server, { minLength: 1, maxLength: 2 })),
      schema: fc.uniqueArray(schemaObject, { minLength: 1, maxLength: 2, selector: (dataset) => String(dataset['name']).toLowerCase() }),
      team: optional(team),
      slaDefaultElement: optional(fc.constant('orders.placed')),
      slaProperties: rarely(fc.array(slaProperty, { maxLength: 3 })),
      customProperties: optional(fc.constantFrom([{ property: 'onViolation', value: 'quarantine-rows' }], [{ property: 'otherTool', value: { any: 1 } }])),
    },
    { requiredKeys: ['apiVersion', 'kind', 'id', 'version', 'status', 'schema'] },
  )
  .map(defined);

/** v3.0's library rules name the check by `rule`, where v3.1 says `metric`. */
const V30_RULE_OF_METRIC: Readonly<Record<string, string>> = {
  nullValues: 'nullCheck',
  duplicateValues: 'duplicateCount',
  invalidValues: 'validValues',
  rowCount: 'rowCount',
  missingValues: 'nullCheck',
};

/**
 * The same contract as a v3.0 producer writes it: no timestamp or time logical type (a date with a
 * timestamp physicalType, as v3.0 files say a timestamp; a string), library rules named by `rule`.
 */
function asV30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asV30);
  if (value === null || typeof value !== 'object') return value;
  const record = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, asV30(field)]));
  if (record['logicalType'] === 'timestamp') Object.assign(record, { logicalType: 'date', physicalType: 'timestamp' });
  if (record['logicalType'] === 'time') record['logicalType'] = 'string';
  if (typeof record['metric'] === 'string') {
    record['rule'] = V30_RULE_OF_METRIC[record['metric']] ?? record['metric'];
    delete record['metric'];
  }
  return record;
}

const apiVersion = fc.constantFrom('v3.1.0', 'v3.1.0', 'v3.0.0', 'v3.0.1', 'v3.0.2');
const schemaValidContract = fc
  .tuple(contract, apiVersion)
  .map(([document, version]) => (version === 'v3.1.0' ? document : { ...(asV30(document) as Record<string, unknown>), apiVersion: version }))
  .filter((document) => standardValidator(document['apiVersion'])!(document));

/** Each case in the same place: nothing is cached between loads. */
function writeContract(document: Record<string, unknown>): { file: string; text: string } {
  const file = join(workspace, 'contract.yaml');
  const text = stringify(document);
  writeFileSync(file, text);
  return { file, text };
}

/** The datasets `validate --contract` would read the file with, or the problems it refuses the contract for. */
function loadedOrRefused(file: string, fileFormat: FileFormat): { readonly datasets: readonly Dataset[] } | readonly ContractProblem[] {
  try {
    return loadContractFile(file, { fileFormat });
  } catch (error) {
    if (error instanceof ContractError) return error.problems;
    throw error;
  }
}

function expectAtAPlaceInTheFile(problem: ContractProblem, file: string, lines: number): void {
  expect(problem.file, formatProblem(problem)).toBe(file);
  expect(problem.line, formatProblem(problem)).toBeGreaterThanOrEqual(1);
  expect(problem.line, formatProblem(problem)).toBeLessThanOrEqual(lines);
  expect(problem.column, formatProblem(problem)).toBeGreaterThanOrEqual(1);
  expect(problem.message.trim(), formatProblem(problem)).not.toBe('');
}

describe('any contract the ODCS standard accepts', () => {
  it('loads standalone into datasets or is refused at a line and column, and lint agrees', () => {
    fc.assert(
      fc.property(schemaValidContract, fc.constantFrom<FileFormat>('csv', 'json', 'parquet'), (document, fileFormat) => {
        const { file, text } = writeContract(document);
        const lines = text.split('\n').length;

        const checked = checkContractFile(file);
        for (const problem of [...checked.problems, ...checked.warnings]) expectAtAPlaceInTheFile(problem, file, lines);
        const model = loadedOrRefused(file, fileFormat);
        if ('datasets' in model) {
          expect(model.datasets.length).toBe((document['schema'] as unknown[]).length);
        } else {
          expect(model.length).toBeGreaterThan(0);
          for (const problem of model) expectAtAPlaceInTheFile(problem, file, lines);
        }

        const linted = lintContract(file, text);
        expect(linted.problems.filter((problem) => problem.source === 'odcs')).toEqual([]);
        for (const problem of linted.problems) expectAtAPlaceInTheFile(problem, file, lines);
        // The lint runs the loader's checks (and, past a part the lakehouse's schema refuses, its
        // semantic checks too): every finding of the loader is one of the lint's, in the same words.
        const lintFindings = linted.problems.map((problem) => formatProblem({ ...problem, severity: problem.severity === 'warning' ? 'warning' : undefined }));
        for (const problem of [...checked.problems, ...checked.warnings]) expect(lintFindings).toContain(formatProblem(problem));
        if (checked.problems.length === 0) expect(linted.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      }),
      { numRuns: runs(200), seed: 1305 },
    );
  });
});
