import { OPERATORS, V30_LIBRARY_RULES } from './contract-schema.ts';
import type { RawQualityRule } from './raw-contract.ts';

/** v3.0 rules that count bad rows: without an operator, they pass only at zero, as v3.0 meant. */
const ZERO_BY_DEFAULT: readonly string[] = ['duplicateCount', 'validValues', 'nullCheck'];

/**
 * A library rule in ODCS v3.1's form. ODCS v3.0 named the metric by `rule` (`duplicateCount`,
 * `validValues` with its values beside it, `nullCheck`, `rowCount`; v3.1 deprecates `rule` and
 * still accepts its own metric names there): such a rule gets its `metric`, its
 * `arguments.validValues` and, when it gives no operator, `mustBe: 0`.
 */
export function inV31Form(rule: RawQualityRule): RawQualityRule {
  if (rule.metric !== undefined || rule.rule === undefined || (rule.type ?? 'library') !== 'library') return rule;
  const metric: string = V30_LIBRARY_RULES[rule.rule as keyof typeof V30_LIBRARY_RULES] ?? rule.rule;
  const hasOperator = OPERATORS.some((operator) => rule[operator] !== undefined);
  return {
    ...rule,
    metric,
    ...(rule.validValues === undefined ? {} : { arguments: { ...rule.arguments, validValues: rule.validValues } }),
    ...(ZERO_BY_DEFAULT.includes(rule.rule) && !hasOperator ? { mustBe: 0 } : {}),
  };
}
