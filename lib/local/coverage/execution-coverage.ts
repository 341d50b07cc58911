/**
 * The states one execution entered and the transitions it took, read from its events
 * (`runStateMachine`'s, in the order the interpreter logged them).
 *
 * Parallel branches and Map iterations interleave their events, so each states list (the machine's,
 * a branch's, an item processor's) is followed on its own: the state after X is the next one entered
 * in X's list and, inside a Map, in the same iteration. Each step is checked against the
 * definition (a `Next`, the Choice rule the recorded input matches, the catcher of the recorded
 * error): when the events disagree with the definition, or two runs of one list cannot be told
 * apart, this throws naming the state instead of guessing.
 */
import type { JsonValue } from '../stepfunctions/json.ts';
import type { ExecutionResult, StateEvent } from '../stepfunctions/run.ts';
import { type AslDefinition, type DefinitionState, listStates } from '../stepfunctions/states.ts';
import { stateTransitions, type Transition } from '../stepfunctions/transitions.ts';
import { matchingChoice } from './choice-rule.ts';
import { firstHandlerOf } from './error-equals.ts';

export interface ExecutionCoverage {
  /** Names of the states entered. */
  readonly visited: ReadonlySet<string>;
  /** Ids of the transitions taken (`Transition.id`). */
  readonly taken: ReadonlySet<string>;
}

export class CoverageReplayError extends Error {
  constructor(state: string, reason: string) {
    super(`state ${state}: ${reason}`);
    this.name = 'CoverageReplayError';
  }
}

/** A transition into another state (not a Retry or End), which the next state entered must confirm. */
type Move = Extract<Transition, { readonly to: string }>;

/** Where one run of a states list stands, between two of its events. */
type Position =
  | { readonly phase: 'running'; readonly state: string; readonly input: JsonValue }
  | { readonly phase: 'failed'; readonly state: string; readonly input: JsonValue; readonly error: string }
  | { readonly phase: 'caught'; readonly state: string; readonly leaving: Move }
  | { readonly phase: 'leaving'; readonly state: string; readonly leaving: Move };

interface IndexedState extends DefinitionState {
  readonly transitions: readonly Transition[];
  /** For a Parallel or Map state: the states lists nested in it, at any depth. */
  readonly nestedGraphs: readonly string[];
}

/** Indexed once per definition: coverage replays many executions of each. */
const indexes = new WeakMap<AslDefinition, ReadonlyMap<string, IndexedState>>();

function indexStates(definition: AslDefinition): ReadonlyMap<string, IndexedState> {
  const cached = indexes.get(definition);
  if (cached !== undefined) return cached;
  const states = listStates(definition);
  const index = new Map<string, IndexedState>();
  for (const state of states) {
    if (index.has(state.name)) throw new CoverageReplayError(state.name, 'the name is used twice in the definition, so its events are ambiguous');
    const nestedGraphs = [...new Set(states.filter((other) => other.enclosing.includes(state.name)).map((other) => other.graph))];
    index.set(state.name, { ...state, transitions: stateTransitions(state.name, state.definition), nestedGraphs });
  }
  indexes.set(definition, index);
  return index;
}

function transitionName(transition: Move): string {
  if (transition.kind === 'Choice rule') return `Choice rule ${transition.rule}`;
  return transition.kind === 'Catch' ? `Catch ${transition.catcher}` : transition.kind;
}

class Replay {
  readonly visited = new Set<string>();
  readonly taken = new Set<string>();
  /** Per states list (by its `StartAt`), per Map iteration (`''` outside any Map). */
  private readonly positions = new Map<string, Map<string, Position>>();

  constructor(private readonly states: ReadonlyMap<string, IndexedState>) {}

  private stateOf(event: StateEvent): IndexedState {
    const state = this.states.get(event.state);
    if (state === undefined) throw new CoverageReplayError(event.state, 'an event names it but the definition has no such state');
    return state;
  }

  private runsOf(graph: string): Map<string, Position> {
    let runs = this.positions.get(graph);
    if (runs === undefined) {
      runs = new Map();
      this.positions.set(graph, runs);
    }
    return runs;
  }

  /**
   * A Parallel or Map state entered or retried starts its lists afresh: a run its failure cut short
   * (a failed branch, or one aborted because its sibling failed) is over. The interpreter gives
   * nested states the index of their outermost Map iteration only.
   */
  private restartNested(state: IndexedState, iteration: string): void {
    for (const graph of state.nestedGraphs) {
      if (iteration === '') this.runsOf(graph).clear();
      else this.runsOf(graph).delete(iteration);
    }
  }

  private transition(state: IndexedState, find: (transition: Transition) => boolean, what: string): Transition {
    const found = state.transitions.find(find);
    if (found === undefined) throw new CoverageReplayError(state.name, `the definition has no ${what}`);
    return found;
  }

  private move(state: IndexedState, find: (transition: Transition) => boolean, what: string): Move {
    const found = this.transition(state, find, what);
    if (!('to' in found)) throw new CoverageReplayError(state.name, `its ${what} leads to no state`);
    return found;
  }

  private entered(state: IndexedState, event: Extract<StateEvent, { kind: 'entered' }>, runs: Map<string, Position>, iteration: string): void {
    const position = runs.get(iteration);
    if (position === undefined || position.phase === 'failed') {
      // No state of this run precedes it: a run starts (again) at its list's StartAt.
      if (state.name !== state.graph) {
        throw new CoverageReplayError(state.name, `entered without a preceding state in its states list (which starts at ${state.graph})`);
      }
    } else if (position.phase === 'leaving') {
      if (position.leaving.to !== state.name) {
        throw new CoverageReplayError(
          position.state,
          `its ${transitionName(position.leaving)} leads to ${position.leaving.to}, but ${state.name} was entered next in the same states list`,
        );
      }
      this.taken.add(position.leaving.id);
    } else {
      throw new CoverageReplayError(
        state.name,
        `entered while ${position.state} of the same states list${iteration === '' ? '' : ` (Map iteration ${iteration})`} had not finished: two runs of one list interleave and cannot be told apart`,
      );
    }
    this.visited.add(state.name);
    runs.set(iteration, { phase: 'running', state: state.name, input: event.input });
    this.restartNested(state, iteration);
  }

  private exited(state: IndexedState, position: Position, runs: Map<string, Position>, iteration: string): void {
    if (position.phase === 'caught') {
      runs.set(iteration, { phase: 'leaving', state: state.name, leaving: position.leaving });
      return;
    }
    if (position.phase !== 'running') throw new CoverageReplayError(state.name, `exited while ${position.phase}`);
    const { definition } = state;
    if (definition.Type === 'Choice') {
      const matched = matchingChoice(state.name, definition, position.input);
      if (matched === undefined) throw new CoverageReplayError(state.name, 'exited although no rule matches its input and it has no Default');
      const leaving = this.move(
        state,
        (transition) => (matched === 'Default' ? transition.kind === 'Default' : transition.kind === 'Choice rule' && transition.rule === matched),
        matched === 'Default' ? 'Default' : `Choice rule ${matched}`,
      );
      runs.set(iteration, { phase: 'leaving', state: state.name, leaving });
      return;
    }
    const leaving = state.transitions.find((transition) => transition.kind === 'Next' || transition.kind === 'End');
    if (leaving === undefined) {
      // A Succeed state ends its run without a transition.
      runs.delete(iteration);
    } else if (leaving.kind === 'Next') {
      runs.set(iteration, { phase: 'leaving', state: state.name, leaving });
    } else {
      this.taken.add(leaving.id);
      runs.delete(iteration);
    }
  }

  record(event: StateEvent): void {
    const state = this.stateOf(event);
    const runs = this.runsOf(state.graph);
    const iteration = event.iteration === undefined ? '' : String(event.iteration);
    if (event.kind === 'entered') {
      this.entered(state, event, runs, iteration);
      return;
    }
    const position = runs.get(iteration);
    if (position === undefined || position.state !== state.name) {
      throw new CoverageReplayError(state.name, `${event.kind} event while ${position?.state ?? 'no state'} is the current state of its states list`);
    }
    switch (event.kind) {
      case 'exited':
        this.exited(state, position, runs, iteration);
        return;
      case 'failed':
        if (position.phase !== 'running') throw new CoverageReplayError(state.name, `failed while ${position.phase}`);
        runs.set(iteration, { phase: 'failed', state: state.name, input: position.input, error: event.error });
        return;
      case 'retried': {
        if (position.phase !== 'failed') throw new CoverageReplayError(state.name, `retried while ${position.phase}`);
        const retrier = firstHandlerOf('Retry' in state.definition ? (state.definition.Retry ?? []) : [], position.error, state.type);
        if (retrier === undefined) throw new CoverageReplayError(state.name, `retried, but no retrier's ErrorEquals covers its error ${position.error}`);
        this.taken.add(this.transition(state, (transition) => transition.kind === 'Retry' && transition.retrier === retrier, `Retry ${retrier}`).id);
        runs.set(iteration, { phase: 'running', state: state.name, input: position.input });
        this.restartNested(state, iteration);
        return;
      }
      case 'caught': {
        if (position.phase !== 'failed') throw new CoverageReplayError(state.name, `caught while ${position.phase}`);
        const catcher = firstHandlerOf('Catch' in state.definition ? (state.definition.Catch ?? []) : [], position.error, state.type);
        if (catcher === undefined) throw new CoverageReplayError(state.name, `caught, but no catcher's ErrorEquals covers its error ${position.error}`);
        const leaving = this.move(state, (transition) => transition.kind === 'Catch' && transition.catcher === catcher, `Catch ${catcher}`);
        if (leaving.to !== event.next) {
          throw new CoverageReplayError(state.name, `its error ${position.error} matches Catch ${catcher}, whose Next is not ${event.next}, where the interpreter went`);
        }
        runs.set(iteration, { phase: 'caught', state: state.name, leaving });
        return;
      }
    }
  }
}

export function executionCoverage(definition: AslDefinition, execution: Pick<ExecutionResult, 'events'>): ExecutionCoverage {
  const replay = new Replay(indexStates(definition));
  for (const event of execution.events) replay.record(event);
  return { visited: replay.visited, taken: replay.taken };
}
