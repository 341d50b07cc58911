import type { NotEnforcedKind } from '../contracts/model.ts';
import { unmeasuredRuleResult, type RuleResult } from './report.ts';

/** A contract entry nothing enforces, with its report id (`notEvaluatedRules`). */
export interface NotEvaluatedRule {
  readonly id: string;
  readonly kind: NotEnforcedKind;
  readonly column: string | null;
  readonly reason: string;
}

/** What a not-evaluated rule's report message starts with, before the reason. */
const NOT_EVALUATED = 'not evaluated: ';

/**
 * The entry as every report lists it: status `notEvaluated`, `passed` false so no reader takes it
 * for a pass, nothing counted or measured; severity warning, because it never fails the file.
 */
export function notEvaluatedResult(rule: NotEvaluatedRule): RuleResult {
  return unmeasuredRuleResult({
    id: rule.id,
    kind: rule.kind,
    column: rule.column,
    severity: 'warning',
    status: 'notEvaluated',
    message: `${NOT_EVALUATED}${rule.reason}`,
  });
}

/**
 * Why a rule was not evaluated: its message without the words `not evaluated`, for a reader that
 * shows the status already (a badge, a heading).
 */
export function notEvaluatedReason(rule: Pick<RuleResult, 'message'>): string {
  const message = rule.message ?? '';
  return message.startsWith(NOT_EVALUATED) ? message.slice(NOT_EVALUATED.length) : message;
}

/** Whether a result is a verdict on the data: false for a rule that was not evaluated. */
export function wasEvaluated(rule: Pick<RuleResult, 'status'>): boolean {
  return rule.status !== 'notEvaluated';
}
