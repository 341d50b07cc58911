/**
 * SageMaker XGBoost's hyperparameters as the local random forest's options, where one has an
 * equivalent: `num_round` -> trees (a boosting round adds one tree), `max_depth` -> tree depth
 * (0, XGBoost's "no limit", is no limit), `colsample_bytree` -> the share of features each tree
 * sees, `seed` -> the forest's seed. `eval_metric` changes no model: training always reports
 * `validation:auc`, `validation:logloss` and `validation:error`. Every other hyperparameter
 * (eta, gamma, alpha, lambda, subsample, min_child_weight, ...) shapes boosting, which a forest
 * does not do: it is ignored offline and named as such.
 */
import type { RandomForestBaseOptions } from 'ml-random-forest';

export type HyperparameterValue = number | string | readonly string[];

/** XGBoost's defaults where SageMaker has one; `num_round` has none there (it is required). */
const DEFAULTS = { num_round: 50, max_depth: 6, colsample_bytree: 1, seed: 0 } as const;
const MAPPED = new Set<string>([...Object.keys(DEFAULTS), 'eval_metric']);

export class HyperparameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

function numberOf(hyperparameters: Readonly<Record<string, HyperparameterValue>>, name: keyof typeof DEFAULTS, valid: (value: number) => boolean, expected: string): number {
  const value = hyperparameters[name] ?? DEFAULTS[name];
  if (typeof value !== 'number' || !valid(value)) throw new HyperparameterError(`hyperparameter ${name}: ${JSON.stringify(value)} is not ${expected}`);
  return value;
}

export interface ForestSettings {
  readonly options: Partial<RandomForestBaseOptions>;
  /** The hyperparameters given that have no equivalent offline, sorted. */
  readonly ignored: readonly string[];
}

export function forestSettings(hyperparameters: Readonly<Record<string, HyperparameterValue>>): ForestSettings {
  const depth = numberOf(hyperparameters, 'max_depth', (value) => Number.isInteger(value) && value >= 0, 'a whole number of 0 or more');
  return {
    options: {
      nEstimators: numberOf(hyperparameters, 'num_round', (value) => Number.isInteger(value) && value >= 1, 'a whole number of 1 or more'),
      maxFeatures: numberOf(hyperparameters, 'colsample_bytree', (value) => value > 0 && value <= 1, 'a fraction above 0, at most 1'),
      seed: numberOf(hyperparameters, 'seed', (value) => Number.isInteger(value) && value >= 0 && value < 2 ** 31, 'a whole number from 0 to 2^31 - 1'),
      // ml-cart's trees are unlimited unless told a depth.
      treeOptions: depth === 0 ? {} : { maxDepth: depth },
      // Each tree sees distinct features, bagged rows; out-of-bag estimates are not needed.
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
    },
    ignored: Object.keys(hyperparameters).filter((name) => !MAPPED.has(name)).sort(),
  };
}
