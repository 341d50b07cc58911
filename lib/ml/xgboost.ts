/**
 * What SageMaker's built-in XGBoost accepts and reports, as far as a model spec names it: the
 * objectives the platform trains (each with the label it needs and the metrics it can report) and
 * the hyperparameters with their documented ranges. Ranking and survival objectives are left out
 * (they need group or censoring columns a spec cannot name yet), and so are reg:gamma and
 * reg:tweedie, whose metrics take parameters (`tweedie-nloglik@1.5`) a threshold cannot name yet.
 */
import type { JsonSchema } from '../contracts/schema-parts.ts';

/** What a label column must hold for an objective. */
export type LabelKind = 'binary' | 'class' | 'numeric';

export interface XgboostObjective {
  readonly label: LabelKind;
  /** Metric names (without channel) XGBoost can evaluate for this objective. */
  readonly metrics: readonly string[];
  /** The metric XGBoost reports when `eval_metric` names none. */
  readonly defaultMetric: string;
}

const BINARY_METRICS = ['auc', 'aucpr', 'error', 'logloss'];
const CLASS_METRICS = ['merror', 'mlogloss'];
const REGRESSION_METRICS = ['rmse', 'mae', 'rmsle', 'mape', 'mphe'];

export const XGBOOST_OBJECTIVES: Readonly<Record<string, XgboostObjective>> = {
  'binary:logistic': { label: 'binary', metrics: BINARY_METRICS, defaultMetric: 'logloss' },
  'binary:logitraw': { label: 'binary', metrics: BINARY_METRICS, defaultMetric: 'logloss' },
  'binary:hinge': { label: 'binary', metrics: BINARY_METRICS, defaultMetric: 'error' },
  'multi:softmax': { label: 'class', metrics: CLASS_METRICS, defaultMetric: 'mlogloss' },
  'multi:softprob': { label: 'class', metrics: CLASS_METRICS, defaultMetric: 'mlogloss' },
  'reg:squarederror': { label: 'numeric', metrics: REGRESSION_METRICS, defaultMetric: 'rmse' },
  'reg:absoluteerror': { label: 'numeric', metrics: REGRESSION_METRICS, defaultMetric: 'mae' },
  'reg:pseudohubererror': { label: 'numeric', metrics: REGRESSION_METRICS, defaultMetric: 'mphe' },
  'reg:logistic': { label: 'numeric', metrics: REGRESSION_METRICS, defaultMetric: 'rmse' },
  'count:poisson': { label: 'numeric', metrics: ['poisson-nloglik', ...REGRESSION_METRICS], defaultMetric: 'poisson-nloglik' },
};

/** The data channels SageMaker's XGBoost reports metrics for: `train:<metric>`, `validation:<metric>`. */
export const METRIC_CHANNELS = ['train', 'validation'] as const;

/** Every metric any objective can report: a name outside it is unknown, not just unfit. */
export const XGBOOST_METRICS: readonly string[] = [...new Set(Object.values(XGBOOST_OBJECTIVES).flatMap((objective) => objective.metrics))];

const wholeNumber = (minimum: number, maximum?: number): JsonSchema => ({ type: 'integer', minimum, ...(maximum === undefined ? {} : { maximum }) });
const fraction: JsonSchema = { type: 'number', minimum: 0, maximum: 1 };
const nonNegative: JsonSchema = { type: 'number', minimum: 0 };
const choice = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });

/**
 * SageMaker XGBoost's hyperparameters with their documented ranges, as a JSON Schema (a name not
 * listed is an unknown field with a did-you-mean). `objective` is not among them: it is the
 * algorithm's `objective`, said once.
 */
export const XGBOOST_HYPERPARAMETERS: Readonly<Record<string, JsonSchema>> = {
  num_round: wholeNumber(1),
  num_class: wholeNumber(2),
  alpha: nonNegative,
  base_score: { type: 'number' },
  booster: choice('gbtree', 'gblinear', 'dart'),
  colsample_bylevel: fraction,
  colsample_bynode: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  colsample_bytree: fraction,
  early_stopping_rounds: wholeNumber(1),
  eta: fraction,
  // Names are checked against the objective after the structure, with a did-you-mean.
  eval_metric: { type: ['string', 'array'], items: { type: 'string' }, minItems: 1, uniqueItems: true, description: 'a metric name or a list of them' },
  gamma: nonNegative,
  grow_policy: choice('depthwise', 'lossguide'),
  lambda: nonNegative,
  lambda_bias: nonNegative,
  max_bin: wholeNumber(2),
  max_delta_step: nonNegative,
  max_depth: wholeNumber(0),
  max_leaves: wholeNumber(0),
  min_child_weight: nonNegative,
  normalize_type: choice('tree', 'forest'),
  num_parallel_tree: wholeNumber(1),
  one_drop: wholeNumber(0, 1),
  process_type: choice('default', 'update'),
  rate_drop: fraction,
  sample_type: choice('uniform', 'weighted'),
  scale_pos_weight: nonNegative,
  seed: wholeNumber(0),
  skip_drop: fraction,
  sketch_eps: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
  subsample: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  tree_method: choice('auto', 'exact', 'approx', 'hist'),
  tweedie_variance_power: { type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 2 },
  verbosity: wholeNumber(0, 3),
};
