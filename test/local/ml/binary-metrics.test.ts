import { describe, expect, it } from 'vitest';
import { areaUnderCurve, errorRate, logLoss, validationMetrics } from '../../../lib/local/ml/binary-metrics.ts';

// Worked by hand: positives score 0.9, 0.4, 0.7; negatives 0.8, 0.4. Of the 6 positive-negative
// pairs the positive wins 3 and ties 1: AUC = 3.5 / 6.
const labels = [1, 0, 1, 0, 1];
const probabilities = [0.9, 0.8, 0.4, 0.4, 0.7];

describe('binary validation metrics, as XGBoost names and defines them', () => {
  it('AUC counts a tie as half a win', () => {
    expect(areaUnderCurve(labels, probabilities)).toBeCloseTo(3.5 / 6, 12);
    expect(areaUnderCurve([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(areaUnderCurve([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(areaUnderCurve([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('logloss is the mean negative log-likelihood, clipped so a sure mistake stays finite', () => {
    const byHand = -(Math.log(0.9) + Math.log(0.2) + Math.log(0.4) + Math.log(0.6) + Math.log(0.7)) / 5;
    expect(logLoss(labels, probabilities)).toBeCloseTo(byHand, 12);
    expect(logLoss(labels, probabilities)).toBeCloseTo(0.6997179, 6);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-16), 6);
  });

  it('error is the share of rows on the wrong side of 0.5', () => {
    expect(errorRate(labels, probabilities)).toBe(2 / 5);
    expect(errorRate([0, 1], [0.5, 0.51])).toBe(0);
  });

  it('reports the validation channel names and refuses what has no AUC', () => {
    expect(Object.keys(validationMetrics(labels, probabilities))).toEqual(['validation:auc', 'validation:logloss', 'validation:error']);
    expect(() => areaUnderCurve([1, 1], [0.2, 0.3])).toThrow('AUC needs both classes in the validation set; it has 2 positive and 0 negative rows');
    expect(() => logLoss([], [])).toThrow(/validation set is empty/);
  });
});
