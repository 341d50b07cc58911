/**
 * The validation metrics SageMaker's XGBoost reports for a binary label, computed offline from
 * labels and predicted probabilities, under XGBoost's names and definitions: `auc` (area under the
 * ROC curve, ties scored half), `logloss` (mean negative log-likelihood, probabilities clipped
 * away from 0 and 1), `error` (share misclassified, positive when the probability is above 0.5).
 */

/** XGBoost clips probabilities by this much before taking logarithms. */
const LOGLOSS_EPSILON = 1e-16;

export class MetricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricError';
  }
}

function checkSameLength(labels: readonly number[], probabilities: readonly number[]): void {
  if (labels.length !== probabilities.length) throw new MetricError(`${labels.length} labels but ${probabilities.length} predictions`);
  if (labels.length === 0) throw new MetricError('no rows to evaluate: the validation set is empty');
}

/**
 * Area under the ROC curve by ranks (the Mann-Whitney statistic): the chance that a random positive
 * row scores above a random negative one, a tie counting half.
 */
export function areaUnderCurve(labels: readonly number[], probabilities: readonly number[]): number {
  checkSameLength(labels, probabilities);
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new MetricError(`AUC needs both classes in the validation set; it has ${positives} positive and ${negatives} negative rows`);
  }
  const order = probabilities.map((probability, index) => ({ probability, index })).sort((a, b) => a.probability - b.probability);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && order[end]!.probability === order[start]!.probability) end++;
    // Tied scores share the mean of the 1-based ranks they span.
    const meanRank = (start + 1 + end) / 2;
    for (let at = start; at < end; at++) if (labels[order[at]!.index] === 1) positiveRankSum += meanRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function logLoss(labels: readonly number[], probabilities: readonly number[]): number {
  checkSameLength(labels, probabilities);
  const total = labels.reduce((sum, label, index) => {
    const likelihood = label === 1 ? probabilities[index]! : 1 - probabilities[index]!;
    return sum - Math.log(Math.max(likelihood, LOGLOSS_EPSILON));
  }, 0);
  return total / labels.length;
}

export function errorRate(labels: readonly number[], probabilities: readonly number[]): number {
  checkSameLength(labels, probabilities);
  const wrong = labels.filter((label, index) => (probabilities[index]! > 0.5 ? 1 : 0) !== label).length;
  return wrong / labels.length;
}

/** The three metrics under the names a training job reports them with for its validation channel. */
export function validationMetrics(labels: readonly number[], probabilities: readonly number[]): Record<string, number> {
  return {
    'validation:auc': areaUnderCurve(labels, probabilities),
    'validation:logloss': logLoss(labels, probabilities),
    'validation:error': errorRate(labels, probabilities),
  };
}
