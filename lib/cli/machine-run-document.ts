/**
 * A state machine's execution as `--json` prints it, the same for every command that runs one
 * (README: "lakehouse build", "lakehouse maintain", "lakehouse models"): why a run failed outside
 * what it works on (its lock never taken, a Task that failed) is only here.
 */
import type { MachineRun } from '../local/runtime/machine-run.ts';

export function machineRunDocument(run: MachineRun): Record<string, unknown> {
  return {
    stateMachine: run.stateMachine,
    executionArn: run.executionArn,
    status: run.status,
    ...(run.error === undefined ? {} : { error: run.error }),
    ...(run.cause === undefined ? {} : { cause: run.cause }),
    states: run.states,
  };
}

/** A domain's build or maintenance: the domain, then the execution. */
export function domainRunDocument(run: MachineRun & { readonly domain: string }): Record<string, unknown> {
  return { domain: run.domain, ...machineRunDocument(run) };
}
