/**
 * The two metrics measurements bench:validate times over an opened file: the generated one is the
 * very function every validation calls, set-up included, so its figure is the work production runs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Dataset } from '../lib/contracts/model.ts';
import { duckdb } from '../lib/sql/duckdb.ts';
import type { CompiledValidation } from '../lib/validation/compile.ts';
import { numberValue } from '../lib/validation/json-value.ts';
import { measureRelation } from '../lib/validation/run-validation.ts';
import { generatedRuleMetrics, handWrittenMetricsSql, handWrittenRuleMetrics, type RuleMetrics } from './hand-written-metrics.ts';
import type { BenchFormat } from './orders-data.ts';

export async function generatedMetrics(
  connection: DuckDBConnection,
  dataset: Dataset,
  relationName: string,
): Promise<{ readonly compiled: CompiledValidation; readonly ruleMetrics: RuleMetrics }> {
  const { compiled, metrics } = await measureRelation(connection, dataset, relationName);
  return { compiled, ruleMetrics: generatedRuleMetrics(compiled, metrics) };
}

export async function handWrittenMetrics(connection: DuckDBConnection, relationName: string, format: BenchFormat): Promise<RuleMetrics> {
  const reader = await connection.runAndReadAll(handWrittenMetricsSql(duckdb.identifier(relationName), format));
  const [row] = reader.getRows();
  if (row === undefined) throw new Error('the hand-written metrics query returned no row');
  const values = new Map(reader.columnNames().map((name, index) => [name, numberValue(row[index] ?? null)]));
  return handWrittenRuleMetrics(values, format);
}
