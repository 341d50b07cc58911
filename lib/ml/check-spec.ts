import { didYouMean } from '../contracts/did-you-mean.ts';
import { atField, type FieldPath } from '../contracts/field-path.ts';
import type { Domain } from '../contracts/model.ts';
import type { ContractProblem } from '../contracts/problems.ts';
import type { YamlSource } from '../contracts/yaml-source.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import type { TransformDag } from '../transforms/model.ts';
import { isBooleanType, isIntegerType, isNumericType, isTemporalType } from './column-kinds.ts';
import { parseThreshold } from './metric-threshold.ts';
import type { HyperparameterValue, MetricThreshold, MlModel, TrainValidationSplit, TrainingTrigger } from './model.ts';
import { scheduleExpressionProblem } from './schedule-expression.ts';
import type { RawMlSpec } from './spec-schema.ts';
import { METRIC_CHANNELS, XGBOOST_METRICS, XGBOOST_OBJECTIVES, type LabelKind } from './xgboost.ts';

/** What a spec is checked against: the compiled transforms and the domains that share them. */
export interface MlSpecContext {
  readonly dag: TransformDag;
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  readonly domains: readonly Pick<Domain, 'name' | 'shares'>[];
}

/** A spec that passed the schema, with where it came from. */
export interface MlSpecUnderCheck {
  readonly source: YamlSource;
  readonly raw: RawMlSpec;
  readonly domain: string;
  readonly name: string;
}

/** ISO-8601 date, or date and time with an optional fraction and offset. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const LABEL_NEEDS: Record<LabelKind, { readonly fits: (type: string) => boolean; readonly needs: string }> = {
  binary: { fits: (type) => isBooleanType(type) || isIntegerType(type), needs: 'a boolean or a 0/1 integer' },
  class: { fits: isIntegerType, needs: 'an integer class index (0 to num_class - 1)' },
  numeric: { fits: (type) => isNumericType(type) || isBooleanType(type), needs: 'a number' },
};

/**
 * Checks what a spec says against the transforms it reads and what XGBoost reports; returns the
 * model when nothing is wrong. Every problem names the field to edit.
 */
export function checkMlSpec(spec: MlSpecUnderCheck, context: MlSpecContext): { readonly model?: MlModel; readonly problems: readonly ContractProblem[] } {
  const { source, raw } = spec;
  const problems: ContractProblem[] = [];
  const fail = (path: FieldPath, message: string, anchor: 'value' | 'key' = 'value'): void => {
    problems.push(source.problem(path, atField(path, message), anchor));
  };

  const featureModel = resolveFeatureModel(spec, context, fail);
  const columns = featureModel === undefined ? undefined : context.columns.get(featureModel);
  const keys = typeof raw.key === 'string' ? [raw.key] : [...raw.key];
  const objective = XGBOOST_OBJECTIVES[raw.algorithm.objective]!;
  const columnType = (path: FieldPath, name: string): string | undefined => {
    if (columns === undefined) return undefined;
    const column = columns.find((candidate) => candidate.name === name);
    if (column === undefined) {
      fail(path, `'${name}' is not a column of '${featureModel}' (it has ${columns.map((candidate) => candidate.name).join(', ')})${didYouMean(name, columns.map((candidate) => candidate.name))}`);
    }
    return column?.type;
  };

  keys.forEach((key, index) => columnType(typeof raw.key === 'string' ? ['key'] : ['key', index], key));
  const labelType = columnType(['label'], raw.label);
  if (keys.includes(raw.label)) fail(['label'], `'${raw.label}' is also a key column: a model cannot learn from its own row id`);
  if (labelType !== undefined && !LABEL_NEEDS[objective.label].fits(labelType)) {
    fail(['label'], `objective ${raw.algorithm.objective} needs ${LABEL_NEEDS[objective.label].needs} as label, but '${raw.label}' is ${labelType}`);
  }

  const split = checkSplit(raw, fail, (name) => columnType(['split', 'cutoff', 'column'], name));
  const thresholds = checkThresholds(spec, fail);
  const evalMetrics = checkEvalMetrics(raw, thresholds, fail);
  if (objective.label === 'class' && raw.algorithm.hyperparameters['num_class'] === undefined) {
    fail(['algorithm', 'hyperparameters'], `objective ${raw.algorithm.objective} needs num_class (the number of classes)`);
  }
  const trigger = checkTrigger(raw, fail);

  const notLearned = new Set([...keys, raw.label, ...(split?.kind === 'cutoff' ? [split.column] : [])]);
  const features = (columns ?? []).filter((column) => !notLearned.has(column.name));
  for (const column of features.filter((feature) => !isNumericType(feature.type) && !isBooleanType(feature.type))) {
    fail(['featureModel'], `column '${column.name}' of '${featureModel}' is ${column.type}: XGBoost learns from numbers and booleans only; encode it in the feature model's SQL or leave it out`);
  }
  if (columns !== undefined && features.length === 0) fail(['featureModel'], `'${featureModel}' has no column to learn from besides key, label and cut-off`);

  if (problems.length > 0 || featureModel === undefined || split === undefined || trigger === undefined) return { problems };
  return {
    problems: [],
    model: {
      id: `${spec.domain}/${spec.name}`,
      domain: spec.domain,
      name: spec.name,
      file: source.file,
      ...(raw.description === undefined ? {} : { description: raw.description }),
      featureModel,
      key: keys,
      label: raw.label,
      features,
      split,
      algorithm: { name: 'xgboost', objective: raw.algorithm.objective, hyperparameters: raw.algorithm.hyperparameters as Record<string, HyperparameterValue>, evalMetrics },
      thresholds,
      ...(raw.approval === undefined ? {} : { approval: raw.approval }),
      trigger,
      position: source.positionOf([]),
    },
  };
}

type Fail = (path: FieldPath, message: string, anchor?: 'value' | 'key') => void;

/** The feature model's id: dbt's lookup, as `ref` does it (another domain's model only if shared), and a table, not a view. */
function resolveFeatureModel(spec: MlSpecUnderCheck, context: MlSpecContext, fail: Fail): string | undefined {
  const written = spec.raw.featureModel;
  const [domain, name] = written.includes('/') ? (written.split('/') as [string, string]) : [spec.domain, written];
  const id = `${domain}/${name}`;
  const model = context.dag.models.find((candidate) => candidate.id === id);
  if (model === undefined) {
    const known = context.dag.models.map((candidate) => candidate.id);
    fail(['featureModel'], `there is no gold model '${id}' in the transforms${didYouMean(id, known)}`);
    return undefined;
  }
  if (domain !== spec.domain && !context.domains.find((candidate) => candidate.name === domain)?.shares.includes(name)) {
    fail(['featureModel'], `domain '${domain}' does not share '${name}' (add it to shares in its domain.yaml to allow this)`);
    return undefined;
  }
  if (model.materialized === 'view') {
    fail(['featureModel'], `'${id}' is a view (${model.file}): training pins a snapshot and batch inference reads it again, which needs a table; make it materialized: table or incremental`);
    return undefined;
  }
  return id;
}

function checkSplit(raw: RawMlSpec, fail: Fail, columnType: (name: string) => string | undefined): TrainValidationSplit | undefined {
  const { fraction, seed, cutoff } = raw.split;
  if (cutoff !== undefined) {
    if (fraction !== undefined || seed !== undefined) {
      fail(['split', 'cutoff'], 'a split is either fraction and seed or a cutoff, not both', 'key');
      return undefined;
    }
    const type = columnType(cutoff.column);
    if (type !== undefined && !isTemporalType(type)) fail(['split', 'cutoff', 'column'], `'${cutoff.column}' is ${type}: a cut-off column must be a date or timestamp`);
    if (!ISO_INSTANT.test(cutoff.at) || Number.isNaN(Date.parse(cutoff.at))) {
      fail(['split', 'cutoff', 'at'], `'${cutoff.at}' is not an ISO-8601 date or time such as '2026-06-01' or '2026-06-01T00:00:00Z'`);
      return undefined;
    }
    return type === undefined ? undefined : { kind: 'cutoff', column: cutoff.column, at: cutoff.at };
  }
  if (fraction === undefined && seed === undefined) {
    fail(['split'], "a split needs fraction (the training share, between 0 and 1) and seed, or a cutoff (column and at)");
    return undefined;
  }
  if (fraction === undefined) fail(['split'], "a seeded split needs fraction: the training share, between 0 and 1");
  if (seed === undefined) fail(['split'], 'a fraction split needs seed (a whole number), so the same rows train every run');
  return fraction === undefined || seed === undefined ? undefined : { kind: 'fraction', trainFraction: fraction, seed };
}

function checkThresholds(spec: MlSpecUnderCheck, fail: Fail): MetricThreshold[] {
  const objectiveName = spec.raw.algorithm.objective;
  const objective = XGBOOST_OBJECTIVES[objectiveName]!;
  const thresholds: MetricThreshold[] = [];
  spec.raw.thresholds.forEach((written, index) => {
    const parsed = typeof written === 'string' ? parseThreshold(written) : written;
    const at: FieldPath = typeof written === 'string' ? ['thresholds', index] : ['thresholds', index, 'metric'];
    if ('problem' in parsed) {
      fail(at, parsed.problem);
      return;
    }
    const [channel, name, ...rest] = parsed.metric.split(':');
    const channels: readonly string[] = METRIC_CHANNELS;
    if (name === undefined || rest.length > 0 || !channels.includes(channel!)) {
      const guess = name === undefined ? didYouMean(`validation:${parsed.metric}`, objective.metrics.map((metric) => `validation:${metric}`)) : didYouMean(channel!, channels);
      fail(at, `'${parsed.metric}' does not name a metric as '<channel>:<metric>' with channel ${METRIC_CHANNELS.join(' or ')}${guess}`);
      return;
    }
    if (!XGBOOST_METRICS.includes(name)) {
      fail(at, `unknown metric '${name}' (XGBoost reports for ${objectiveName}: ${objective.metrics.join(', ')})${didYouMean(name, objective.metrics)}`);
      return;
    }
    if (!objective.metrics.includes(name)) {
      fail(at, `objective ${objectiveName} does not report '${name}' (it reports ${objective.metrics.join(', ')})`);
      return;
    }
    thresholds.push({ metric: parsed.metric, operator: parsed.operator as MetricThreshold['operator'], value: parsed.value, position: spec.source.positionOf(at) });
  });
  return thresholds;
}

/** What the training run asks XGBoost to report: the spec's eval_metric, the objective's default and every metric a threshold needs. */
function checkEvalMetrics(raw: RawMlSpec, thresholds: readonly MetricThreshold[], fail: Fail): string[] {
  const objective = XGBOOST_OBJECTIVES[raw.algorithm.objective]!;
  const listed = raw.algorithm.hyperparameters['eval_metric'];
  const written = listed === undefined ? [] : typeof listed === 'string' ? [listed] : [...(listed as readonly string[])];
  written.forEach((metric, index) => {
    if (!objective.metrics.includes(metric)) {
      const path: FieldPath = typeof listed === 'string' ? ['algorithm', 'hyperparameters', 'eval_metric'] : ['algorithm', 'hyperparameters', 'eval_metric', index];
      fail(path, `objective ${raw.algorithm.objective} does not report '${metric}' (it reports ${objective.metrics.join(', ')})${didYouMean(metric, objective.metrics)}`);
    }
  });
  return [...new Set([...written, objective.defaultMetric, ...thresholds.map((threshold) => threshold.metric.split(':')[1]!)])];
}

function checkTrigger(raw: RawMlSpec, fail: Fail): TrainingTrigger | undefined {
  if (raw.trigger === undefined || typeof raw.trigger === 'string') return { kind: 'after-feature-build' };
  const problem = scheduleExpressionProblem(raw.trigger.schedule);
  if (problem !== undefined) {
    fail(['trigger', 'schedule'], problem);
    return undefined;
  }
  return { kind: 'schedule', expression: raw.trigger.schedule };
}
