import type { CompiledValidation } from '../lib/validation/compile.ts';
import type { BenchFormat } from './orders-data.ts';

/** Metric values by name: the generated query's aliases, or the hand-written query's column names. */
export type MetricValues = ReadonlyMap<string, number | null>;

/** Measurements by rule id. */
export type RuleMetrics = ReadonlyMap<string, readonly (number | null)[]>;

/**
 * What an engineer would write by hand for the benchmark contract's metrics over the opened
 * relation: each column typed once (Parquet columns already are, so nothing is cast and nothing
 * can fail to parse), repeated order ids counted by a grouped subquery over the relation.
 */
export function handWrittenMetricsSql(relation: string, format: BenchFormat): string {
  const typed =
    format === 'csv'
      ? 'TRY_CAST(order_ts AS TIMESTAMPTZ) AS ts, TRY_CAST(amount AS DECIMAL(12,2)) AS amt'
      : 'order_ts AS ts, amount AS amt';
  const unparsable = (raw: string, typedValue: string) => (format === 'csv' ? `count_if(${raw} IS NOT NULL AND ${typedValue} IS NULL)` : '0');
  return `WITH orders AS (
  SELECT order_id, customer_id, order_ts, status, currency, amount, ${typed}
  FROM ${relation}
),
repeated_order_ids AS (
  SELECT count(*) AS n FROM ${relation} WHERE order_id IS NOT NULL GROUP BY order_id HAVING count(*) > 1
)
SELECT
  count(*) AS rows,
  count_if(order_id IS NULL) AS order_id_nulls,
  count(order_id) AS order_ids,
  (SELECT coalesce(sum(n), 0) FROM repeated_order_ids) AS repeated_order_id_rows,
  count_if(NOT regexp_full_match(order_id, '^ORD-[0-9]{8}$')) AS malformed_order_ids,
  count_if(customer_id IS NULL) AS customer_id_nulls,
  count(customer_id) AS customer_ids,
  count_if(NOT regexp_full_match(customer_id, '^CUS-[0-9]{6}$')) AS malformed_customer_ids,
  count_if(order_ts IS NULL) AS order_ts_nulls,
  count(order_ts) AS order_ts_values,
  ${unparsable('order_ts', 'ts')} AS order_ts_unparsable,
  count_if(status IS NULL) AS status_nulls,
  count(status) AS statuses,
  count_if(status NOT IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')) AS unknown_statuses,
  count_if(currency IS NULL) AS currency_nulls,
  count(currency) AS currencies,
  count_if(currency NOT IN ('EUR', 'GBP', 'USD', 'CHF', 'SEK')) AS unknown_currencies,
  count_if(amount IS NULL) AS amount_nulls,
  count(amount) AS amount_values,
  ${unparsable('amount', 'amt')} AS amount_unparsable,
  count(amt) AS amounts,
  count_if(amt > 50000) AS amounts_above_maximum,
  count_if(amt <= 0) AS amounts_not_positive,
  epoch(max(ts)) AS newest_order_epoch,
  0 AS strings_not_text
FROM orders`;
}

/**
 * Which hand-written columns stand for each rule of the benchmark contract: a row rule's failing
 * rows then its denominator, a table rule's measurements in the compiler's order.
 */
const HAND_WRITTEN_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'order_id.required': ['order_id_nulls', 'rows'],
  'order_id.unique': ['repeated_order_id_rows', 'order_ids'],
  'order_id.pattern': ['malformed_order_ids', 'order_ids'],
  'customer_id.required': ['customer_id_nulls', 'rows'],
  'customer_id.pattern': ['malformed_customer_ids', 'customer_ids'],
  'order_ts.required': ['order_ts_nulls', 'rows'],
  'order_ts.type': ['order_ts_unparsable', 'order_ts_values'],
  'status.required': ['status_nulls', 'rows'],
  status_known: ['unknown_statuses', 'statuses'],
  'currency.required': ['currency_nulls', 'rows'],
  currency_known: ['unknown_currencies', 'currencies'],
  'amount.required': ['amount_nulls', 'rows'],
  'amount.type': ['amount_unparsable', 'amount_values'],
  'amount.maximum': ['amounts_above_maximum', 'amounts'],
  'amount.exclusiveMinimum': ['amounts_not_positive', 'amounts'],
  orders_not_empty: ['rows'],
  freshness: ['newest_order_epoch'],
};

/** Each rule's measurements from the generated metrics query's row: a row rule's failing rows and denominator, a table rule's values. */
export function generatedRuleMetrics(compiled: CompiledValidation, values: MetricValues): RuleMetrics {
  return new Map(
    compiled.rules.map((rule) => {
      const aliases = 'failing' in rule ? [rule.failedMetric, rule.denominatorMetric] : rule.metrics;
      return [rule.rule.id, aliases.map((alias) => metricValue(values, alias))];
    }),
  );
}

/**
 * A Parquet file's values carry their own type, so its string columns have a type rule too (a
 * list or struct is no string); the benchmark's Parquet columns are all VARCHAR, so nothing fails it.
 */
const PARQUET_STRING_TYPE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'order_id.type': ['strings_not_text', 'order_ids'],
  'customer_id.type': ['strings_not_text', 'customer_ids'],
  'status.type': ['strings_not_text', 'statuses'],
  'currency.type': ['strings_not_text', 'currencies'],
};

/** Each rule's measurements from the hand-written query's row, in the order `generatedRuleMetrics` gives them. */
export function handWrittenRuleMetrics(values: MetricValues, format: BenchFormat): RuleMetrics {
  const columns = format === 'parquet' ? { ...HAND_WRITTEN_COLUMNS, ...PARQUET_STRING_TYPE_COLUMNS } : HAND_WRITTEN_COLUMNS;
  return new Map(Object.entries(columns).map(([ruleId, names]) => [ruleId, names.map((name) => metricValue(values, name))]));
}

function metricValue(values: MetricValues, name: string): number | null {
  const value = values.get(name);
  if (value === undefined) throw new Error(`the metrics row has no column '${name}'`);
  return value;
}

/**
 * Every way the hand-written measurements differ from the generated ones; empty when both
 * queries measured the same. A rule only one side knows is a difference too, so a contract
 * change that the hand-written query misses cannot go unnoticed.
 */
export function metricDifferences(generated: RuleMetrics, handWritten: RuleMetrics): string[] {
  const differences: string[] = [];
  for (const [ruleId, generatedValues] of generated) {
    const handValues = handWritten.get(ruleId);
    if (handValues === undefined) differences.push(`${ruleId}: the hand-written query does not measure this rule`);
    else if (generatedValues.length !== handValues.length || generatedValues.some((value, i) => value !== handValues[i])) {
      differences.push(`${ruleId}: generated [${generatedValues.join(', ')}], hand-written [${handValues.join(', ')}]`);
    }
  }
  for (const ruleId of handWritten.keys()) {
    if (!generated.has(ruleId)) differences.push(`${ruleId}: the hand-written query measures a rule the contract does not have`);
  }
  return differences;
}
