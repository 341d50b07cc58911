/**
 * A promotion as `models approve` and `models train` report it (README, "lakehouse models"): the
 * execution as `--json` gives every machine run, plus the predictions it inserted; for people, how
 * it ended (Promoted, AlreadyPromoted, or the failure), the states it went through and the rows.
 */
import type { PromotionRun } from '../local/runtime/pipeline-runtime.ts';
import { PROMOTION_STATES } from '../ml/promotion-states.ts';
import { LABEL_WIDTH } from './commands/run.ts';
import { machineRunDocument } from './machine-run-document.ts';

export function promotionDocument(run: PromotionRun): Record<string, unknown> {
  return { ...machineRunDocument(run), predictions: run.predictions };
}

/** The state it ended in when it succeeded (Promoted, AlreadyPromoted); the error otherwise. */
function outcome(run: PromotionRun): string {
  if (run.status !== 'SUCCEEDED') return `${run.status}: ${run.error ?? 'the promotion failed'}${run.cause === undefined ? '' : ` (${run.cause})`}`;
  const last = run.states.at(-1)?.state;
  return last === PROMOTION_STATES.alreadyPromoted ? `${last}: the environment serves this version already` : (last ?? run.status);
}

export function promotionLines(run: PromotionRun): string[] {
  const line = (label: string, text: string) => `  ${label.padEnd(LABEL_WIDTH)}${text}`;
  return [
    line('promotion', outcome(run)),
    line('execution', run.executionArn),
    line('states', run.states.map((visit) => visit.state).join(' → ')),
    line('predictions', `${run.predictions.rows} into ${run.predictions.table}`),
  ];
}
