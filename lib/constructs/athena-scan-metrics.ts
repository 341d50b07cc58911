import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_KINDS } from '../pipeline/alarm-kinds.ts';

/** Athena's `ProcessedBytes` metric (the alarm kind names it for the runbook) and the dimensions Athena publishes it per. */
const PROCESSED_BYTES = ALARM_KINDS.bytesScanned.metric;
const DIMENSIONS = { workgroup: 'WorkGroup', queryState: 'QueryState', queryType: 'QueryType' } as const;

/**
 * The query states Athena bills for what they scanned: a query stopped by the workgroup's cutoff
 * fails, and a runaway one cancelled by hand has scanned too.
 */
const BILLED_QUERY_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED'] as const;

/** Bytes in the terabyte Athena bills by (its pricing page says TB). */
const BYTES_PER_TERABYTE = 1_000_000_000_000;

/**
 * Athena publishes `ProcessedBytes` per workgroup, query state and query type: the search sums every
 * state and type of the one workgroup (failed and cancelled queries are billed for what they scanned
 * too). The quoted value matches the workgroup's name exactly, so `<domain>` never matches
 * `<domain>-pipeline`.
 */
function processedBytesSearch(workgroups: readonly string[], period: Duration): string {
  const names = workgroups.map((workgroup) => `${DIMENSIONS.workgroup}="${workgroup}"`).join(' OR ');
  const schema = [PROCESSED_BYTES.namespace, DIMENSIONS.queryState, DIMENSIONS.queryType, DIMENSIONS.workgroup].join(',');
  return `SEARCH('{${schema}} MetricName="${PROCESSED_BYTES.name}" (${names})', 'Sum', ${period.toSeconds()})`;
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

/**
 * Bytes a workgroup's DML queries scanned per period, every billed state summed: Athena publishes
 * `ProcessedBytes` per `WorkGroup`, `QueryState` and `QueryType` (DDL scans no data), and a period
 * in which some state had no query has no datapoint of that state, hence `FILL(..., 0)`.
 */
export function workgroupBytesScanned(workgroup: string, period: Duration): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    BILLED_QUERY_STATES.map((state) => [
      state.toLowerCase(),
      new cloudwatch.Metric({
        namespace: PROCESSED_BYTES.namespace,
        metricName: PROCESSED_BYTES.name,
        dimensionsMap: { [DIMENSIONS.workgroup]: workgroup, [DIMENSIONS.queryState]: state, [DIMENSIONS.queryType]: 'DML' },
        statistic: 'Sum',
        period,
      }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label: `Bytes scanned in ${workgroup}`,
    period,
  });
}
