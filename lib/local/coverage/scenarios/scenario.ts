/**
 * A coverage scenario: a real situation (data, locks, services failing) set up and one execution of
 * a state machine run in it, checked for where it went. The coverage run executes each once as
 * written, then again with a fault injected to reach a catcher no scenario reached.
 */
import type { ExecutionStatus } from '../../stepfunctions/run.ts';
import type { TaskWrapper } from './task-faults.ts';

export interface ScenarioRun {
  readonly status: ExecutionStatus;
  readonly error?: string;
  /** Every state entered, in order, with repeats. */
  readonly visitedStates: readonly string[];
}

export interface ScenarioOutcome {
  readonly run: ScenarioRun;
  /** Where the run went wrong, each as a sentence; none when it went where the scenario says. */
  readonly problems: readonly string[];
}

export interface Scenario {
  /** What it shows, as a test name reads: `sales/orders: loads a clean file`. */
  readonly name: string;
  /** The state machine whose execution it checks (set-up runs of other machines are not its own). */
  readonly machine: string;
  /** Sets the situation up and runs the machine once, its Tasks wrapped by `faults`. */
  readonly execute: (faults: TaskWrapper) => Promise<ScenarioOutcome>;
}
