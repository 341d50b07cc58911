import type { ReportThreshold } from './report.ts';

/** True when the observed value satisfies the ODCS operator; `mustBeBetween` includes both ends. */
export function meetsThreshold(observed: number, threshold: ReportThreshold): boolean {
  const { operator, value } = threshold;
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    if (typeof value === 'number') throw new Error(`${operator} needs a [low, high] pair, got ${value}`);
    const [low, high] = value;
    const inside = observed >= low && observed <= high;
    return operator === 'mustBeBetween' ? inside : !inside;
  }
  if (typeof value !== 'number') throw new Error(`${operator} needs one number, got [${value.join(', ')}]`);
  switch (operator) {
    case 'mustBe':
      return observed === value;
    case 'mustNotBe':
      return observed !== value;
    case 'mustBeGreaterThan':
      return observed > value;
    case 'mustBeGreaterOrEqualTo':
      return observed >= value;
    case 'mustBeLessThan':
      return observed < value;
    case 'mustBeLessOrEqualTo':
      return observed <= value;
  }
}
