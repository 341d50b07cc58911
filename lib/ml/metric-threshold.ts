import { THRESHOLD_OPERATORS, type ThresholdOperator } from './model.ts';

/** `validation:auc >= 0.80`: a channel-qualified metric, an operator and a number. */
const THRESHOLD_TEXT = /^\s*(\S+?)\s*(>=|<=|>|<)\s*(\S+)\s*$/;

export interface ParsedThreshold {
  readonly metric: string;
  readonly operator: ThresholdOperator;
  readonly value: number;
}

/** Reads the string form of a threshold; a string that is not one gives the reason instead. */
export function parseThreshold(text: string): ParsedThreshold | { readonly problem: string } {
  const match = THRESHOLD_TEXT.exec(text);
  if (match === null) {
    return { problem: `'${text}' is not a threshold: write '<metric> <operator> <number>' with one of ${THRESHOLD_OPERATORS.join(' ')}, e.g. 'validation:auc >= 0.8'` };
  }
  const value = Number(match[3]);
  if (match[3]!.trim() === '' || !Number.isFinite(value)) return { problem: `'${text}': '${match[3]}' is not a number` };
  return { metric: match[1]!, operator: match[2] as ThresholdOperator, value };
}
