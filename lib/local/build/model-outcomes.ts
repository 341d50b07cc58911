import type { ModelOutcome } from './build-models.ts';

/** Whether the model's tests passed and its result is what readers see. */
export function modelSucceeded(outcome: ModelOutcome): boolean {
  return outcome.status === 'published' || outcome.status === 'unchanged';
}

export const MODEL_OUTCOME_HEADINGS = ['model', 'materialized', 'status', 'rows', 'tests passed', 'tests failed', 'snapshot'] as const;

/** One table row per model, under `MODEL_OUTCOME_HEADINGS`. */
export function modelOutcomeCells(outcome: ModelOutcome): string[] {
  return [
    outcome.model,
    outcome.materialized,
    outcome.status,
    String(outcome.rows),
    String(outcome.tests.filter((test) => test.passed).length),
    String(outcome.tests.filter((test) => !test.passed).length),
    outcome.snapshotId === null ? '-' : String(outcome.snapshotId),
  ];
}
