import type { BuildModelOutcome } from '../local/runtime/build-outcomes.ts';

/** `lakehouse build`'s table of models (the demo prints the same). */
export const MODEL_OUTCOME_HEADINGS = ['model', 'materialized', 'status', 'rows', 'tests passed', 'tests failed', 'snapshot'] as const;

/** One table row per model, under `MODEL_OUTCOME_HEADINGS`. */
export function modelOutcomeCells(outcome: BuildModelOutcome): string[] {
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
