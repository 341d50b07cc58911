import type { Dataset, SourcePosition } from '../contracts/model.ts';

type FreshnessSla = Pick<Dataset, 'frequency' | 'frequencyPosition' | 'freshness'>;

/**
 * The longest freshness alarm threshold the freshness check can measure. It measures a dataset's
 * last load from its pipeline's executions (ListExecutions), and Step Functions lists a Standard
 * execution for only 90 days after it closes ("Execution history retention: 90 days", Step
 * Functions quotas, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html):
 * past that, the last success drops out and the check measures from the machine's creation date
 * instead. 80 days leaves ten days of margin for checks that run late or fail for a while.
 */
export const MAX_MEASURABLE_FRESHNESS_SECONDS = 80 * 86_400;

/**
 * The most seconds a dataset may go without a load before it breaks its contract's SLA: its
 * delivery `frequency` when declared (a file is due every interval), else its freshness `maxAge`
 * (data older than that is stale even if it came); undefined when the contract declares neither.
 */
export function freshnessThresholdSeconds(dataset: Pick<Dataset, 'frequency' | 'freshness'>): number | undefined {
  return dataset.frequency ?? dataset.freshness?.maxAge;
}

/** Where the SLA that decides the threshold is declared: the frequency's entry when declared, else the freshness one. */
function thresholdPosition(dataset: FreshnessSla): SourcePosition | undefined {
  return dataset.frequency !== undefined ? dataset.frequencyPosition : dataset.freshness?.position;
}

/**
 * The `LastLoadAgeSeconds` above which the dataset's freshness alarm breaches: its SLA plus the
 * environment's `freshnessGraceSeconds`. The alarm and the dashboard's last-load line both read
 * it, so the line is where the alarm fires. A threshold the freshness check cannot measure
 * (over `MAX_MEASURABLE_FRESHNESS_SECONDS`) is refused, naming the SLA's place in the contract.
 */
export function freshnessAlarmThresholdSeconds(dataset: FreshnessSla & Pick<Dataset, 'names'>, graceSeconds: number): number | undefined {
  const sla = freshnessThresholdSeconds(dataset);
  if (sla === undefined) return undefined;
  const threshold = sla + graceSeconds;
  if (threshold > MAX_MEASURABLE_FRESHNESS_SECONDS) {
    const position = thresholdPosition(dataset);
    const where = position === undefined ? '' : `${position.file}:${position.line}:${position.column}: `;
    const what = dataset.frequency !== undefined ? 'frequency' : 'freshness maxAge';
    throw new Error(
      `${where}dataset '${dataset.names.ref}': its ${what} (${sla} s) plus freshnessGraceSeconds (${graceSeconds} s) is ${threshold} s, more than the ` +
        `${MAX_MEASURABLE_FRESHNESS_SECONDS} s (80 days) the freshness check can measure: Step Functions lists a pipeline's executions for 90 days only. ` +
        'Declare a shorter SLA.',
    );
  }
  return threshold;
}
