import type { XgboostAlgorithm } from './model.ts';

/**
 * The hyperparameters a training job is given, as SageMaker takes them (every value a string): the
 * spec's, its objective, and `eval_metric` as the comma-separated list SageMaker's XGBoost reads,
 * so every metric a threshold names is reported.
 */
export function trainingHyperparameters(algorithm: XgboostAlgorithm): Record<string, string> {
  const given = Object.entries(algorithm.hyperparameters)
    .filter(([name]) => name !== 'eval_metric')
    .map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.join(',') : String(value)]);
  return Object.fromEntries([...given, ['objective', algorithm.objective], ['eval_metric', algorithm.evalMetrics.join(',')]].sort(([a], [b]) => a!.localeCompare(b!)));
}
