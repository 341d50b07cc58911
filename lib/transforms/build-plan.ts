/**
 * What a domain's build state machine runs (DESIGN.md "Transforms per domain"), derived from the
 * DAG: the domain's models in layers (each layer reads only earlier layers, so a layer is one
 * `Parallel`), each model's write-audit-publish steps, and the announcements that start the build.
 * Pure: the construct turns it into states, the offline runtime into overrides.
 */
import { ContractError } from '../contracts/problems.ts';
import { modelStateNames } from '../pipeline/build-states.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import type { RefTarget, TransformDag, TransformModel } from './model.ts';
import { modelSteps, type ModelStep } from './model-steps.ts';
import type { Placement } from './render.ts';

/** Step Functions' limit on a state name's length. */
export const MAX_STATE_NAME_LENGTH = 80;

/** Step Functions Standard's limit on history events per execution. */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * History events per state, as Step Functions counts them: a Task is entered, scheduled, started,
 * (submitted for `.sync`), succeeded and exited; Choice and Pass are entered and exited.
 */
const EVENTS_PER_TASK = 6;
const EVENTS_PER_OTHER_STATE = 2;
/** Room for retries, catches, the lock's wait loop and the announcement per model. */
const HISTORY_MARGIN = 2;

export interface ModelTestCheck {
  /** The test step's state name; its results state is `resultsStateName(step)`. */
  readonly step: string;
  /** Field of the branch state holding the test's `failures`. */
  readonly field: string;
  readonly severity: 'error' | 'warning';
}

export interface ModelBuild {
  readonly model: TransformModel;
  /** `<domain>__<model>`: where the build keeps this model's outcome (JSONPath-safe). */
  readonly outcomeKey: string;
  readonly steps: readonly ModelStep[];
  readonly tests: readonly ModelTestCheck[];
  /** Outcome keys of the domain's own models this one reads: a failed one skips it. */
  readonly upstream: readonly string[];
  /**
   * The announced datasets (`DatasetLoaded` `detail.dataset`) that make this model build: its
   * datasets and other domains' models, also those read through the domain's own models.
   */
  readonly triggers: readonly string[];
}

export interface BuildPlan {
  readonly domain: string;
  /** Models in dependency order; models of one layer read only models of earlier layers. */
  readonly layers: readonly (readonly ModelBuild[])[];
  /** Every trigger of every model, sorted: the build's event pattern. */
  readonly inputs: readonly string[];
  /** What the build reads outside its own models: silver tables and other domains' models. */
  readonly reads: readonly RefTarget[];
  /** An upper estimate of one full build's history events. */
  readonly estimatedHistoryEvents: number;
}

/** The state that reads a test step's result set: the test's state name with this suffix. */
export function resultsStateName(testStep: string): string {
  return `${testStep}-results`;
}

/** What a model's step names start with (`modelSteps`), and so the names of its other states. */
export function modelStatePrefix(model: Pick<TransformModel, 'domain' | 'name'>): string {
  return `${model.domain}-${model.name}`;
}

export function outcomeKey(model: Pick<TransformModel, 'domain' | 'name'>): string {
  return `${model.domain}__${model.name}`;
}

/** The build of one domain; throws when it would not fit one execution's history. */
export function buildPlan(
  dag: TransformDag,
  columns: ReadonlyMap<string, readonly LakeColumn[]>,
  domain: string,
  placement: Placement,
): BuildPlan {
  const own = dag.models.filter((model) => model.domain === domain);
  const byId = new Map(own.map((model) => [model.id, model]));
  const layerOf = new Map<string, number>();
  const triggersOf = new Map<string, ReadonlySet<string>>();
  const reads = new Map<string, RefTarget>();
  for (const model of own) {
    const upstream = model.upstream.filter((id) => byId.has(id));
    layerOf.set(model.id, Math.max(-1, ...upstream.map((id) => layerOf.get(id)!)) + 1);
    const triggers = new Set<string>();
    for (const target of model.resolved.values()) {
      if (target.kind === 'model' && target.domain === domain) {
        for (const trigger of triggersOf.get(target.id)!) triggers.add(trigger);
      } else {
        triggers.add(target.id);
        reads.set(target.id, target);
      }
    }
    triggersOf.set(model.id, triggers);
  }

  const layers: ModelBuild[][] = [];
  for (const model of own) {
    const inferred = columns.get(model.id);
    if (inferred === undefined) throw new Error(`build of domain '${domain}': model '${model.id}' has no inferred columns (run inferModelColumns on the same DAG)`);
    const steps = modelSteps(model, inferred.map((column) => column.name), placement);
    const build: ModelBuild = {
      model,
      outcomeKey: outcomeKey(model),
      steps,
      tests: steps.flatMap((step, index) =>
        step.test === undefined ? [] : [{ step: step.name, field: `test${index}_${step.test.name.replace(/[^A-Za-z0-9_]/g, '_')}`, severity: step.test.severity }],
      ),
      upstream: model.upstream.filter((id) => byId.has(id)).map((id) => outcomeKey(byId.get(id)!)),
      triggers: [...triggersOf.get(model.id)!].sort(),
    };
    (layers[layerOf.get(model.id)!] ??= []).push(build);
  }

  const tooLong = layers.flat().flatMap((build) => [...build.steps.map((step) => step.name), ...build.tests.map((test) => resultsStateName(test.step)), ...Object.values(modelStateNames(modelStatePrefix(build.model)))]).filter((name) => name.length > MAX_STATE_NAME_LENGTH);
  if (tooLong.length > 0) {
    const model = layers.flat().find((build) => tooLong.some((name) => name.startsWith(modelStatePrefix(build.model))))!.model;
    throw new ContractError([{ ...model.position, message: `state name '${tooLong[0]}' of model '${model.id}' is over Step Functions' ${MAX_STATE_NAME_LENGTH} characters: shorten the model or test name` }]);
  }
  const plan: BuildPlan = {
    domain,
    layers,
    inputs: [...new Set(layers.flat().flatMap((build) => build.triggers))].sort(),
    reads: [...reads.values()].sort((a, b) => a.id.localeCompare(b.id)),
    estimatedHistoryEvents: estimateHistoryEvents(layers),
  };
  if (plan.estimatedHistoryEvents > MAX_HISTORY_EVENTS) {
    throw new Error(
      `build of domain '${domain}': ${own.length} models would take about ${plan.estimatedHistoryEvents} history events per run, ` +
        `over Step Functions' ${MAX_HISTORY_EVENTS}: split the domain or merge small models`,
    );
  }
  return plan;
}

function estimateHistoryEvents(layers: readonly (readonly ModelBuild[])[]): number {
  const perModel = (build: ModelBuild): number => {
    // Besides its steps and tests: the announcement and the run's two lineage writes; the choices,
    // the lineage run's Pass and the outcome.
    const tasks = build.steps.length + build.tests.length + 3;
    const others = 5;
    return (tasks * EVENTS_PER_TASK + others * EVENTS_PER_OTHER_STATE) * HISTORY_MARGIN;
  };
  const lock = 10 * EVENTS_PER_TASK;
  return lock + layers.reduce((sum, layer) => sum + 4 + layer.reduce((inner, build) => inner + perModel(build), 0), 0);
}
