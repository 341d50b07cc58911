import type { ReportThreshold } from '../validation/report.ts';

/** A rule's threshold in the contract's words: `mustBeLessThan 5 percent`; none when any failing row fails the rule. */
export function thresholdText(threshold: ReportThreshold | null): string {
  if (threshold === null) return 'no failing row';
  const value = Array.isArray(threshold.value) ? `${threshold.value[0]} and ${threshold.value[1]}` : String(threshold.value);
  return `${threshold.operator} ${value} ${threshold.unit}`;
}
