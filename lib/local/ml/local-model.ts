/**
 * The model the local trainer writes: a JSON file holding the forest, the feature encoding fitted
 * on the training rows, and what was asked of it, so `score` encodes new rows as training did. The
 * offline stand-in for SageMaker's `model.tar.gz`, and what offline batch inference reads.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RandomForestClassifier } from 'ml-random-forest';
import { encodeRows, type ColumnEncoding, type Feature, type Row, type RowName } from './feature-encoding.ts';
import type { HyperparameterValue } from './forest-hyperparameters.ts';

const FORMAT = 'contract-lakehouse/local-model';
const FORMAT_VERSION = 1;

/** The learning library and its version, as installed: recorded with each model it trains. */
export const LEARNER = `ml-random-forest@${(createRequire(import.meta.url)('ml-random-forest/package.json') as { version: string }).version}`;

export interface LocalModel {
  readonly format: typeof FORMAT;
  readonly formatVersion: typeof FORMAT_VERSION;
  readonly learner: string;
  readonly label: string;
  readonly features: readonly Feature[];
  readonly encoding: readonly ColumnEncoding[];
  /** As given, including those ignored offline. */
  readonly hyperparameters: Readonly<Record<string, HyperparameterValue>>;
  readonly ignoredHyperparameters: readonly string[];
  readonly forest: ReturnType<RandomForestClassifier['toJSON']>;
}

export class LocalModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalModelError';
  }
}

export function localModel(parts: Omit<LocalModel, 'format' | 'formatVersion' | 'learner'>): LocalModel {
  return { format: FORMAT, formatVersion: FORMAT_VERSION, learner: LEARNER, ...parts };
}

/**
 * The probability of the positive label for each of `rows`, in order: the share of trees voting
 * for it, add-one smoothed ((votes + 1) / (trees + 2)). XGBoost's logistic output is never exactly
 * 0 or 1, but a unanimous vote share is, and one such sure mistake costs 36.8 in logloss.
 */
export function score(model: LocalModel, rows: readonly Row[], rowName?: RowName): number[] {
  if (rows.length === 0) return [];
  const trees = model.forest.baseModel.nEstimators;
  return RandomForestClassifier.load(model.forest)
    .predictProbability(encodeRows(model.encoding, rows, rowName), 1)
    .map((share) => (Math.round(share * trees) + 1) / (trees + 2));
}

/** Writes `model` whole under a temporary name and renames it into place: never half a model. */
export function writeLocalModel(path: string, model: LocalModel): void {
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, JSON.stringify(model));
  renameSync(staged, path);
}

export function readLocalModel(path: string): LocalModel {
  let value: Partial<LocalModel>;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalModel>;
  } catch (error) {
    throw new LocalModelError(`${path}: not a local model (${(error as Error).message})`);
  }
  if (value?.format !== FORMAT || value.formatVersion !== FORMAT_VERSION) {
    throw new LocalModelError(`${path}: not a ${FORMAT} file of format version ${FORMAT_VERSION}`);
  }
  const missing = (['label', 'features', 'encoding', 'hyperparameters', 'ignoredHyperparameters', 'forest'] as const).find((field) => value[field] === undefined);
  if (missing !== undefined) throw new LocalModelError(`${path}: field '${missing}' is missing`);
  return value as LocalModel;
}
