/**
 * The ML model spec, checked: what `contracts/<domain>/ml/<model>.yaml` says once it has loaded,
 * in the terms training, registration and batch inference read. Pure data; nothing downstream
 * re-reads a spec file.
 */
import type { ModelApproval } from '../config/settings.ts';
import type { SourcePosition } from '../contracts/model.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';

export type ThresholdOperator = '>=' | '>' | '<=' | '<';

export const THRESHOLD_OPERATORS: readonly ThresholdOperator[] = ['>=', '>', '<=', '<'];

/** A gate a trained model must pass to be registered: `validation:auc >= 0.8`. */
export interface MetricThreshold {
  /** `<channel>:<metric>` as SageMaker's XGBoost reports it, e.g. `validation:auc`. */
  readonly metric: string;
  readonly operator: ThresholdOperator;
  readonly value: number;
  readonly position: SourcePosition;
}

/**
 * How rows are divided between training and validation: a seeded random share, or a time cut-off
 * (rows before `at` train, the rest validate), which keeps the future out of training.
 */
export type TrainValidationSplit =
  | { readonly kind: 'fraction'; readonly trainFraction: number; readonly seed: number }
  | { readonly kind: 'cutoff'; readonly column: string; readonly at: string };

/** When a training run starts: after each build that rebuilt the feature model, or on a schedule. */
export type TrainingTrigger =
  | { readonly kind: 'after-feature-build' }
  | { readonly kind: 'schedule'; readonly expression: string };

export type HyperparameterValue = number | string | readonly string[];

export interface XgboostAlgorithm {
  readonly name: 'xgboost';
  readonly objective: string;
  readonly hyperparameters: Readonly<Record<string, HyperparameterValue>>;
  /**
   * The metrics a training run asks XGBoost for (`eval_metric`): those the spec lists, the
   * objective's default and every metric a threshold names, so each gate has its number.
   */
  readonly evalMetrics: readonly string[];
}

export interface MlModel {
  /** `<domain>/<model>`. */
  readonly id: string;
  readonly domain: string;
  /** The spec's file name without `.yaml`; part of the Model Package Group name. */
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  /** Id of the gold model (`<domain>/<model>`) whose table training and batch inference read. */
  readonly featureModel: string;
  /** Columns identifying a row, carried to predictions, never learned from. */
  readonly key: readonly string[];
  readonly label: string;
  /** The feature model's columns a model learns from: all but key, label and the cut-off column. */
  readonly features: readonly LakeColumn[];
  readonly split: TrainValidationSplit;
  readonly algorithm: XgboostAlgorithm;
  readonly thresholds: readonly MetricThreshold[];
  /** As the spec says it; undefined takes the environment's. See `approvalIn`. */
  readonly approval?: ModelApproval;
  readonly trigger: TrainingTrigger;
  readonly position: SourcePosition;
}
