import { describe, expect, it } from 'vitest';
import { athena } from '../../lib/sql/athena.ts';
import { compileValidation, type CompiledRowRule } from '../../lib/validation/compile.ts';
import { planDisposition } from '../../lib/validation/disposition.ts';
import type { RuleResult } from '../../lib/validation/report.ts';
import { samplesQuery } from '../../lib/validation/samples.ts';
import { column, loadDataset } from './helpers/dataset.ts';

const dataset = loadDataset({
  properties: [
    column('id', { primaryKey: true, logicalTypeOptions: { pattern: 'ID-[0-9]+' } }),
    column('at', { logicalType: 'timestamp', required: true }),
    column('qty', { logicalType: 'integer', physicalType: 'int', logicalTypeOptions: { minimum: 1 } }),
    column('day', { logicalType: 'date', logicalTypeOptions: { minimum: '2015-01-01' } }),
    column('status', { quality: [{ id: 'status_known', metric: 'invalidValues', arguments: { validValues: ['new', "o'k"] }, mustBe: 0 }] }),
  ],
  quality: [{ metric: 'duplicateValues', arguments: { properties: ['status', 'day'] }, mustBeLessThan: 5, unit: 'percent', severity: 'warning' }],
  customProperties: [{ property: 'onViolation', value: 'quarantine-rows' }],
  slaProperties: [{ property: 'freshness', value: 1, unit: 'd', element: 'items.at' }],
});
const compiled = compileValidation(dataset, athena, { relation: 'landing_db.items_raw' });
const rule = (id: string) => compiled.rules.find((candidate) => candidate.rule.id === id) as CompiledRowRule;

describe('the Athena rendering of a compiled dataset', () => {
  it('parses each column once from the raw string table, Athena style', () => {
    expect(compiled.metricsQuery).toContain(
      'WITH typed AS (\n  SELECT *,\n' +
        `    CASE WHEN strpos("at", 'T') > 0 THEN try(from_iso8601_timestamp(trim("at"))) ELSE try_cast(trim("at") AS timestamp(3) with time zone) END AS "__typed_1",\n` +
        `    CASE WHEN regexp_like("qty", '^(?:\\s*[+-]?[0-9]+\\s*)$') THEN try_cast(trim("qty") AS integer) END AS "__typed_2",\n`,
    );
    expect(compiled.metricsQuery).toContain('  FROM landing_db.items_raw\n)');
    expect(compiled.metricsQuery).not.toContain('MATERIALIZED');
  });

  it('computes every metric in one aggregate over typed', () => {
    const query = compiled.metricsQuery;
    expect(query.match(/\nFROM typed$/g)).toHaveLength(1);
    expect(query).toContain(`count_if("id" IS NOT NULL AND (NOT regexp_like("id", '^(?:ID-[0-9]+)$'))) AS m`);
    expect(query).toContain(`count_if("status" IS NOT NULL AND ("status" NOT IN ('new', 'o''k'))) AS m`);
    expect(query).toContain(
      `count_if("__typed_3" IS NOT NULL AND ("__typed_3" < CASE WHEN regexp_like('2015-01-01', '^(?:\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*)$') THEN try_cast(trim('2015-01-01') AS date) END)) AS m`,
    );
    expect(query).toContain('to_unixtime(max("__typed_1")) AS m');
  });

  it('counts repeated keys with a grouped aggregate over the relation, key typed inline, joined back', () => {
    expect(compiled.metricsQuery).toContain(
      'repeated_keys_0 AS (\n  SELECT "__key_0_0", count(*) AS "__key_rows_0"\n' +
        '  FROM (SELECT "id" AS "__key_0_0" FROM landing_db.items_raw) AS file_keys\n' +
        '  WHERE "__key_0_0" IS NOT NULL\n  GROUP BY "__key_0_0"\n  HAVING count(*) > 1\n)',
    );
    expect(compiled.repeatedKeyQueries[1]).toBe(
      'SELECT "__key_1_0", "__key_1_1", count(*) AS "__key_rows_1"\n' +
        `FROM (SELECT "status" AS "__key_1_0", CASE WHEN regexp_like("day", '^(?:\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\s*)$') THEN try_cast(trim("day") AS date) END AS "__key_1_1" FROM landing_db.items_raw) AS file_keys\n` +
        'WHERE "__key_1_0" IS NOT NULL AND "__key_1_1" IS NOT NULL\nGROUP BY "__key_1_0", "__key_1_1"\nHAVING count(*) > 1',
    );
    expect(compiled.metricsQuery).not.toContain('JOIN');
    expect(compiled.metricsQuery).toContain('  (SELECT coalesce(sum("__key_rows_0"), 0) FROM repeated_keys_0) AS m');
    expect(compiled.withChecked([rule('duplicateValues')])).toContain(
      '  LEFT JOIN repeated_keys_1 ON typed."status" = repeated_keys_1."__key_1_0" AND typed."__typed_3" = repeated_keys_1."__key_1_1"',
    );
    expect(rule('id.unique').failing).toBe('"__key_rows_0" > 1');
  });

  it('joins tables of repeated keys made beforehand instead of aggregating again, when given', () => {
    const withTables = compileValidation(dataset, athena, { relation: 'landing_db.items_raw', repeatedKeyTable: (index) => `scratch.keys_${index}` });
    expect(withTables.metricsQuery).not.toContain('repeated_keys');
    expect(withTables.metricsQuery).toContain('  (SELECT coalesce(sum("__key_rows_0"), 0) FROM scratch.keys_0) AS m');
    expect(withTables.metricsQuery.match(/landing_db\.items_raw/g)).toHaveLength(1);
    const checked = withTables.withChecked([rule('id.unique')]);
    expect(checked).not.toContain('repeated_keys_0 AS (');
    expect(checked).toContain('  LEFT JOIN scratch.keys_0 AS repeated_keys_0 ON typed."id" = repeated_keys_0."__key_0_0"\n');
    expect(withTables.repeatedKeyQueries).toEqual(compiled.repeatedKeyQueries);
  });

  it('renders one samples query for several rules, with only the key aggregates they need', () => {
    const query = samplesQuery(compiled, [rule('qty.minimum'), rule('status_known')]);
    expect(query).not.toContain('repeated_keys');
    expect(query.endsWith(
      '\nSELECT\n' +
        '  min_by(ROW(_row, "qty"), _row, 5) FILTER (WHERE "__typed_2" IS NOT NULL AND ("__typed_2" < 1)) AS "samples_0",\n' +
        `  min_by(ROW(_row, "status"), _row, 5) FILTER (WHERE "status" IS NOT NULL AND ("status" NOT IN ('new', 'o''k'))) AS "samples_1"\n` +
        'FROM checked',
    )).toBe(true);
    expect(samplesQuery(compiled, [rule('id.unique')])).toContain('  LEFT JOIN repeated_keys_0 ON');
  });

  it('renders the disposition queries with Athena arrays', () => {
    const results: RuleResult[] = compiled.rules.map(({ rule: { id, kind, severity } }) => ({
      id,
      kind,
      column: null,
      severity,
      status: id !== 'qty.minimum' && id !== 'id.unique' ? 'passed' : 'failed',
      passed: id !== 'qty.minimum' && id !== 'id.unique',
      failedCount: id === 'qty.minimum' || id === 'id.unique' ? 1 : 0,
      failedPercent: 0,
      observed: 0,
      threshold: null,
      samples: [],
    }));
    const disposition = planDisposition(compiled, results, 10);
    expect(disposition.wholeFile).toBe(false);
    expect(disposition.knownQuarantinedRows).toBeUndefined();
    expect(disposition.quarantined).toBe('coalesce(("__key_rows_0" > 1) OR ("__typed_2" IS NOT NULL AND ("__typed_2" < 1)), false)');
    expect(disposition.quarantinedRowsQuery).toContain(
      `SELECT "id", "at", "qty", "day", "status", _row, filter(ARRAY[CASE WHEN "__key_rows_0" > 1 THEN 'id.unique' END, ` +
        `CASE WHEN "__typed_2" IS NOT NULL AND ("__typed_2" < 1) THEN 'qty.minimum' END], x -> x IS NOT NULL) AS _violations`,
    );
    expect(disposition.passingRowsQuery).toContain(
      'SELECT "id" AS "id", "__typed_1" AS "at", "__typed_2" AS "qty", "__typed_3" AS "day", "status" AS "status", _row\nFROM checked\nWHERE NOT coalesce(',
    );
    expect(disposition.passingRowsQuery).not.toContain('repeated_keys_1');
  });

  it('renders the typed view SQL rules read', () => {
    expect(compiled.typedSelect).toMatch(/^SELECT _row,\n {2}"id" AS "id",\n {2}CASE WHEN strpos\("at", 'T'\)/);
    expect(compiled.typedSelect).toMatch(/AS "status"\nFROM landing_db\.items_raw$/);
  });
});

describe('the Athena rendering of rules on nested fields and array options', () => {
  it('reads a struct field by dereference and judges list items with any_match, counting items with cardinality', () => {
    const nested = loadDataset({
      properties: [
        { name: 'address', logicalType: 'object', properties: [column('zip', { logicalTypeOptions: { pattern: '[0-9]{5}' } })] },
        {
          name: 'lines',
          logicalType: 'array',
          logicalTypeOptions: { maxItems: 9, uniqueItems: true },
          items: { logicalType: 'object', properties: [{ name: 'qty', logicalType: 'integer', logicalTypeOptions: { minimum: 1 } }] },
        },
      ],
      format: 'json',
    });
    const rules = compileValidation(nested, athena, { relation: 'landing_db.orders_raw' }).rules as CompiledRowRule[];
    const failing = (id: string) => rules.find((candidate) => candidate.rule.id === id)!.failing;
    expect(failing('address.zip.pattern')).toBe(
      `("__typed_0" IS NOT NULL AND ("__typed_0")."zip" IS NOT NULL AND (NOT regexp_like(("__typed_0")."zip", '^(?:[0-9]{5})$')))`,
    );
    expect(failing('lines[].qty.minimum')).toBe(
      `any_match("__typed_1", __item_0 -> (__item_0 IS NOT NULL AND (__item_0)."qty" IS NOT NULL AND ((__item_0)."qty" < 1)))`,
    );
    expect(failing('lines.maxItems')).toBe(`"__typed_1" IS NOT NULL AND (cardinality("__typed_1") > 9)`);
    expect(failing('lines.uniqueItems')).toContain('cardinality(array_distinct(filter("__typed_1", __item -> __item IS NOT NULL)))');
  });
});
