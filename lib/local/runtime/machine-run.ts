/**
 * What every offline run of a synthesized state machine reports of its execution, whatever it ran
 * for (a domain's build, an ML model's training): the machine, the execution, how it ended and the
 * states it went through.
 */
import type { SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import type { ExecutionStatus } from '../stepfunctions/run.ts';
import type { ExecutionOutcome } from './execution-engine.ts';
import type { StateVisit } from './execution-trace.ts';

export interface MachineRun {
  readonly stateMachine: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  readonly error?: string;
  readonly cause?: string;
  readonly states: readonly StateVisit[];
}

export function machineRun(machine: SynthesizedStateMachine, { result, executionArn, trace }: ExecutionOutcome): MachineRun {
  return {
    stateMachine: machine.name,
    executionArn,
    status: result.status,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.cause === undefined ? {} : { cause: result.cause }),
    states: trace.visits,
  };
}
