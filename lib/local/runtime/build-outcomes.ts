/**
 * One row per model of a build execution for `lakehouse build`: the status is the outcome state
 * the machine entered for the model, the figures are what the offline queries observed.
 */
import { modelStateNames } from '../../pipeline/build-states.ts';
import { modelStatePrefix, type BuildPlan } from '../../transforms/build-plan.ts';
import type { TransformModel } from '../../transforms/model.ts';
import type { Placement } from '../../transforms/render.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { BuildObservations, TestObservation } from './build-observations.ts';

/**
 * The machine's outcome states: `published` (tests passed, then one commit, or the view replaced),
 * `failed` (an error-severity test failed; nothing published), `error` (a query failed),
 * `skipped` (a model it reads was blocked), `not-affected` (the announced dataset is not among its
 * inputs), `not-selected` (an explicit selection left it out).
 */
export const MODEL_STATUSES = ['published', 'failed', 'error', 'skipped', 'not-affected', 'not-selected'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface BuildModelOutcome {
  readonly model: string;
  readonly materialized: TransformModel['materialized'];
  readonly status: ModelStatus;
  /** Rows staged in this run (the new rows, for an incremental model); 0 for views and models not run. */
  readonly rows: number;
  readonly tests: readonly TestObservation[];
  /** The table's current snapshot after the build (the one published, or the one kept); null for views. */
  readonly snapshotId: number | null;
  readonly message?: string;
}

const STATE_OF_STATUS = {
  published: 'published',
  failed: 'failed',
  error: 'error',
  skipped: 'skipped',
  'not-affected': 'notAffected',
  'not-selected': 'notSelected',
} as const satisfies Record<ModelStatus, keyof ReturnType<typeof modelStateNames>>;

export interface BuildOutcomeSources {
  readonly plan: BuildPlan;
  /** The execution's states entered, in order. */
  readonly visitedStates: readonly string[];
  readonly observations: BuildObservations;
  readonly lake: LocalLake;
  readonly placement: Placement;
}

/**
 * The models that reached an outcome, layer by layer. A model whose layer never ran (the build's
 * lock was not acquired, a layer failed outside any model) has none: the execution's error says why.
 */
export function buildModelOutcomes(sources: BuildOutcomeSources): BuildModelOutcome[] {
  const visited = new Set(sources.visitedStates);
  return sources.plan.layers.flat().flatMap((build) => {
    const { model } = build;
    const names = modelStateNames(modelStatePrefix(model));
    const status = MODEL_STATUSES.find((candidate) => visited.has(names[STATE_OF_STATUS[candidate]]));
    if (status === undefined) return [];
    const observed = sources.observations.of(model.id);
    const database = sources.placement.database(model.domain);
    const snapshotId =
      observed.snapshotId ?? (model.materialized !== 'view' && sources.lake.hasTable(database, model.name) ? sources.lake.currentSnapshot(database, model.name).snapshotId : null);
    const message = messageOf(status, observed.tests, observed.failure);
    return [{ model: model.id, materialized: model.materialized, status, rows: observed.rows, tests: observed.tests, snapshotId, ...(message === undefined ? {} : { message }) }];
  });
}

function messageOf(status: ModelStatus, tests: readonly TestObservation[], failure: string | undefined): string | undefined {
  switch (status) {
    case 'failed': {
      const test = tests.find((candidate) => !candidate.passed && candidate.severity === 'error');
      return test === undefined ? undefined : `test ${test.name} failed on ${test.failedCount} row${test.failedCount === 1 ? '' : 's'}: nothing was published`;
    }
    case 'error':
      return failure;
    case 'skipped':
      return 'a model it reads did not publish in this build';
    default:
      return undefined;
  }
}
