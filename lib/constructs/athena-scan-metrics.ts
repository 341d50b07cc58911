import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Bytes in the terabyte Athena bills by (its pricing page says TB). */
const BYTES_PER_TERABYTE = 1_000_000_000_000;

/**
 * Athena publishes `ProcessedBytes` per workgroup, query state and query type: the search sums every
 * state and type of the one workgroup (failed and cancelled queries are billed for what they scanned
 * too). The quoted value matches the workgroup's name exactly, so `<domain>` never matches
 * `<domain>-pipeline`.
 */
function processedBytesSearch(workgroups: readonly string[], period: Duration): string {
  const names = workgroups.map((workgroup) => `WorkGroup="${workgroup}"`).join(' OR ');
  return `SEARCH('{AWS/Athena,QueryState,QueryType,WorkGroup} MetricName="ProcessedBytes" (${names})', 'Sum', ${period.toSeconds()})`;
}

/** Bytes a workgroup's queries scanned per period. */
export function bytesScanned(workgroup: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: `SUM(${processedBytesSearch([workgroup], period)})`, usingMetrics: {}, label: workgroup, period });
}

/** What the workgroups' scans cost per period, in US dollars, at the environment's price per terabyte. */
export function scanCost(workgroups: readonly string[], usdPerTerabyte: number, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SUM(${processedBytesSearch(workgroups, period)}) / ${BYTES_PER_TERABYTE} * ${usdPerTerabyte}`,
    usingMetrics: {},
    label: `USD at ${usdPerTerabyte} per TB scanned`,
    period,
  });
}
