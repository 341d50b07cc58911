import type { NotEnforcedKind } from '../contracts/model.ts';
import type { RuleResult } from './report.ts';

/** A contract entry nothing enforces, with its report id (`notEvaluatedRules`). */
export interface NotEvaluatedRule {
  readonly id: string;
  readonly kind: NotEnforcedKind;
  readonly column: string | null;
  readonly reason: string;
}

/**
 * The entry as every report lists it: status `notEvaluated`, `passed` false so no reader takes it
 * for a pass, nothing counted or measured; severity warning, because it never fails the file.
 */
export function notEvaluatedResult(rule: NotEvaluatedRule): RuleResult {
  return {
    id: rule.id,
    kind: rule.kind,
    column: rule.column,
    severity: 'warning',
    status: 'notEvaluated',
    passed: false,
    failedCount: 0,
    failedPercent: 0,
    observed: null,
    threshold: null,
    samples: [],
    message: `not evaluated: ${rule.reason}`,
  };
}

/** Whether a result is a verdict on the data: false for a rule that was not evaluated. */
export function wasEvaluated(rule: Pick<RuleResult, 'status'>): boolean {
  return rule.status !== 'notEvaluated';
}
