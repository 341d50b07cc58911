/**
 * A domain's execution as `--json` prints it, the same for `build` and `maintain` (README,
 * "lakehouse build", "lakehouse maintain"): why a run failed outside its tables or models (its
 * lock never taken) is only here.
 */
import type { MachineRun } from '../local/runtime/machine-run.ts';

export function domainRunDocument(run: MachineRun & { readonly domain: string }): Record<string, unknown> {
  return {
    domain: run.domain,
    stateMachine: run.stateMachine,
    executionArn: run.executionArn,
    status: run.status,
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.cause === undefined ? {} : { cause: run.cause }),
    states: run.states,
  };
}
