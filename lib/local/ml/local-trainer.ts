/**
 * The offline stand-in for a SageMaker built-in XGBoost training job on a binary label: a random
 * forest (ml-random-forest; see the README for why not boosting) trained on the training side of
 * the split and evaluated on the validation side, reporting XGBoost's validation metric names.
 * Deterministic: the same rows, split and hyperparameters give the same model and metrics.
 */
import { RandomForestClassifier } from 'ml-random-forest';
import { validationMetrics } from './binary-metrics.ts';
import { canonicalRowOrder } from './canonical-row-order.ts';
import { encodeRows, fitEncoding, type Feature, type Row, type RowName } from './feature-encoding.ts';
import { forestSettings, type HyperparameterValue } from './forest-hyperparameters.ts';
import { localModel, score, type LocalModel } from './local-model.ts';
import { splitRows, type TrainValidationSplit } from './train-validation-split.ts';

export interface TrainingRequest {
  readonly rows: readonly Row[];
  readonly features: readonly Feature[];
  /** A boolean column, or one holding 0 and 1. */
  readonly label: string;
  /** Columns identifying a row: the split hashes them and orders rows by them. */
  readonly key: readonly string[];
  readonly split: TrainValidationSplit;
  readonly hyperparameters: Readonly<Record<string, HyperparameterValue>>;
}

export interface TrainingResult {
  readonly model: LocalModel;
  /** `validation:auc`, `validation:logloss`, `validation:error`. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly trainingRows: number;
  readonly validationRows: number;
}

export class TrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Names a row by its key, since the split reorders rows: `the row with customer_id "C00042"`. */
function rowNamer(rows: readonly Row[], key: readonly string[]): RowName {
  return (index) => `the row with ${key.map((column) => `${column} ${JSON.stringify(String(rows[index]![column]))}`).join(', ')}`;
}

function labelsOf(rows: readonly Row[], label: string, rowName: RowName): number[] {
  return rows.map((row, index) => {
    const value = row[label];
    if (value === true || value === 1 || value === 1n) return 1;
    if (value === false || value === 0 || value === 0n) return 0;
    throw new TrainingError(`${rowName(index)}: label '${label}' is ${JSON.stringify(String(value))}; a binary label is true/false or 1/0`);
  });
}

export function trainLocally(request: TrainingRequest): TrainingResult {
  const { training, validation } = splitRows(request.rows, request.split, request.key);
  return trainOnSplit({ ...request, training, validation, rowName: (rows) => rowNamer(rows, request.key) });
}

export interface SplitTrainingRequest {
  readonly training: readonly Row[];
  readonly validation: readonly Row[];
  readonly features: readonly Feature[];
  readonly label: string;
  readonly hyperparameters: Readonly<Record<string, HyperparameterValue>>;
  /** How an error names a row of `rows`. @default its 1-based position among them */
  readonly rowName?: (rows: readonly Row[]) => RowName;
}

/**
 * Trains on rows already divided, as a training job reads its train and validation channels, in
 * whatever order they come: the same rows give the same model (`canonicalRowOrder`).
 */
export function trainOnSplit(request: SplitTrainingRequest): TrainingResult {
  const columns = [request.label, ...request.features.map((feature) => feature.name)];
  const training = canonicalRowOrder(request.training, columns);
  const validation = canonicalRowOrder(request.validation, columns);
  // Positions in the reordered rows would mislead, so a row without a given name is named by its values.
  const nameIn = request.rowName ?? ((rows: readonly Row[]) => (index: number) => `the row ${columns.map((column) => `${column}=${String(rows[index]![column])}`).join(', ')}`);
  const trainingName = nameIn(training);
  const validationName = nameIn(validation);
  const trainingLabels = labelsOf(training, request.label, trainingName);
  const validationLabels = labelsOf(validation, request.label, validationName);
  if (new Set(trainingLabels).size < 2) {
    throw new TrainingError(`the training side of the split has ${training.length} rows, all labelled ${trainingLabels[0] ?? 'nothing'}: a binary model needs both labels`);
  }
  const encoding = fitEncoding(request.features, training, trainingName);
  const settings = forestSettings(request.hyperparameters);
  const forest = new RandomForestClassifier(settings.options);
  forest.train(encodeRows(encoding, training, trainingName), trainingLabels);
  const model = localModel({
    label: request.label,
    features: request.features,
    encoding,
    hyperparameters: request.hyperparameters,
    ignoredHyperparameters: settings.ignored,
    forest: forest.toJSON(),
  });
  return {
    model,
    metrics: validationMetrics(validationLabels, score(model, validation, validationName)),
    trainingRows: training.length,
    validationRows: validation.length,
  };
}
