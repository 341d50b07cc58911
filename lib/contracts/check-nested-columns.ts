import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import { isNestedLogicalType, nestedColumnType } from './nested-column-type.ts';
import type { ContractProblem } from './problems.ts';
import type { RawProperty } from './raw-contract.ts';
import { readingServer } from './reading-server.ts';

/** What an object or array column may not say: a struct or a list has no order, key or partition value. */
const REFUSED_ON_NESTED_COLUMNS = ['unique', 'primaryKey', 'partitioned', 'logicalTypeOptions', 'relationships'] as const;

/** Quality metrics that measure an object or array column as a whole (presence); the others compare scalar values. */
const NESTED_COLUMN_METRICS: readonly string[] = ['nullValues'];

/**
 * Why a metric cannot measure the column, when it is an object or array column: written as a
 * library rule or translated from a Great Expectations rule (check-quality.ts), the same answer.
 */
export function nestedMetricProblem(metric: string, property: RawProperty): string | undefined {
  if (!isNestedLogicalType(property.logicalType) || NESTED_COLUMN_METRICS.includes(metric)) return undefined;
  return `metric ${metric} on an ${property.logicalType} column is not supported (nullValues and sql rules are)`;
}

/**
 * Checks on a dataset's `object` and `array` columns (issue 13 item 6): their nested declaration,
 * the rules that cannot apply to a whole struct or list, and a CSV server, whose text cannot hold one.
 */
export function checkNestedColumns(under: ContractUnderCheck, datasetIndex: number): ContractProblem[] {
  const { source, contract } = under;
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const reading = readingServer(contract);
  contract.schema[datasetIndex]!.properties.forEach((property, index) => {
    if (!isNestedLogicalType(property.logicalType)) return;
    const path: FieldPath = ['schema', datasetIndex, 'properties', index];
    if (reading?.server.format === 'csv') {
      report(
        [...path, 'logicalType'],
        `column '${property.name}' is an ${property.logicalType}, which a CSV file cannot hold: deliver JSON Lines or Parquet ` +
          `(servers[${reading.index}].format), or declare the column as a string`,
      );
    }
    const nested = nestedColumnType(property, path);
    if ('problems' in nested) nested.problems.forEach((problem) => report(problem.path, problem.message));
    for (const key of REFUSED_ON_NESTED_COLUMNS) {
      if (property[key] !== undefined) report([...path, key], `${key} on an ${property.logicalType} column is not supported`);
    }
    (property.quality ?? []).forEach((rule, ruleIndex) => {
      const problem = (rule.type ?? 'library') === 'library' && rule.metric !== undefined ? nestedMetricProblem(rule.metric, property) : undefined;
      if (problem !== undefined) report([...path, 'quality', ruleIndex, 'metric'], problem);
    });
  });
  return problems;
}
