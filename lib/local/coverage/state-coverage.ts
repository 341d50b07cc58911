/**
 * Coverage of states and transitions over many executions of many state machines, in the shape
 * `.lake/state-coverage.json` holds (issue 10 item 3). A machine added but never run counts with
 * nothing visited, so enumerating machines from the synthesized assembly can never forget one.
 */
import type { ExecutionResult } from '../stepfunctions/run.ts';
import { type AslDefinition, listStates } from '../stepfunctions/states.ts';
import { listTransitions } from '../stepfunctions/transitions.ts';
import { executionCoverage } from './execution-coverage.ts';

export interface CoveredMachine {
  readonly name: string;
  readonly definition: AslDefinition;
}

export interface MachineCoverage {
  readonly name: string;
  readonly states: { readonly total: number; readonly visited: number; readonly missing: readonly string[] };
  readonly transitions: { readonly total: number; readonly taken: number; readonly missing: readonly string[] };
}

export interface StateCoverageReport {
  /** Sorted by name; each `missing` list sorted. */
  readonly machines: readonly MachineCoverage[];
}

interface Tally {
  readonly definition: AslDefinition;
  readonly states: readonly string[];
  readonly transitions: readonly string[];
  readonly visited: Set<string>;
  readonly taken: Set<string>;
}

export class StateCoverage {
  private readonly tallies = new Map<string, Tally>();

  /** Counts `machine` even if it never runs; adding it again with the same states and transitions changes nothing. */
  addMachine(machine: CoveredMachine): void {
    this.tallyOf(machine);
  }

  record(machine: CoveredMachine, execution: Pick<ExecutionResult, 'events'>): void {
    const tally = this.tallyOf(machine);
    const { visited, taken } = executionCoverage(machine.definition, execution);
    for (const state of visited) tally.visited.add(state);
    for (const transition of taken) tally.taken.add(transition);
  }

  report(): StateCoverageReport {
    const machines = [...this.tallies.entries()]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([name, tally]): MachineCoverage => {
        const missingStates = tally.states.filter((state) => !tally.visited.has(state)).sort();
        const missingTransitions = tally.transitions.filter((transition) => !tally.taken.has(transition)).sort();
        return {
          name,
          states: { total: tally.states.length, visited: tally.states.length - missingStates.length, missing: missingStates },
          transitions: { total: tally.transitions.length, taken: tally.transitions.length - missingTransitions.length, missing: missingTransitions },
        };
      });
    return { machines };
  }

  /**
   * Runs of one machine add up only if they share its states and transitions: a test may run an
   * equivalent definition (synthesized from variant contracts) in place of the counted one.
   */
  private tallyOf(machine: CoveredMachine): Tally {
    const known = this.tallies.get(machine.name);
    if (known !== undefined && known.definition === machine.definition) return known;
    const states = listStates(machine.definition).map((state) => state.name);
    const transitions = listTransitions(machine.definition).map((transition) => transition.id);
    if (known === undefined) {
      const tally: Tally = { definition: machine.definition, states, transitions, visited: new Set(), taken: new Set() };
      this.tallies.set(machine.name, tally);
      return tally;
    }
    if (JSON.stringify([states, transitions]) !== JSON.stringify([known.states, known.transitions])) {
      throw new Error(`state machine ${machine.name}: recorded with two definitions whose states or transitions differ`);
    }
    return known;
  }
}
