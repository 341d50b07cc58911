/**
 * What each threshold of a spec decided about a run's metrics, as the training machine's Choices
 * decide it: a metric the job did not report fails its gate. Pure; for people reading a run.
 */
import type { MetricThreshold } from './model.ts';

export interface GateDecision {
  /** `validation:auc >= 0.8`. */
  readonly threshold: string;
  /** The metric's value in the run, null when the job did not report it. */
  readonly observed: number | null;
  readonly passed: boolean;
}

function holds(threshold: Pick<MetricThreshold, 'operator' | 'value'>, observed: number): boolean {
  switch (threshold.operator) {
    case '>=':
      return observed >= threshold.value;
    case '>':
      return observed > threshold.value;
    case '<=':
      return observed <= threshold.value;
    case '<':
      return observed < threshold.value;
  }
}

export function gateDecisions(thresholds: readonly Pick<MetricThreshold, 'metric' | 'operator' | 'value'>[], metrics: Readonly<Record<string, number>>): GateDecision[] {
  return thresholds.map((threshold) => {
    const observed = metrics[threshold.metric];
    return {
      threshold: `${threshold.metric} ${threshold.operator} ${threshold.value}`,
      observed: observed ?? null,
      passed: observed !== undefined && holds(threshold, observed),
    };
  });
}
