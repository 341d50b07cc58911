/**
 * Every state of a definition, including those inside Map item processors and Parallel
 * branches: Task overrides, retry pauses and state coverage all need the nested ones too.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export type AslDefinition = StateMachineDefinition;

export type AslState = StateMachineDefinition['States'][string];

interface StateGraph {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

export interface DefinitionState {
  readonly name: string;
  readonly type: AslState['Type'];
  /** The state as the definition declares it. */
  readonly definition: AslState;
  /**
   * The `StartAt` of the states list holding this one (the machine's, a Parallel branch's or a Map's
   * item processor's): state names are unique within a machine, so it names that list.
   */
  readonly graph: string;
  /** The `Resource` of a Task state. */
  readonly resource?: string;
  readonly hasRetry: boolean;
  /** Names of the Map and Parallel states around this one, outermost first. */
  readonly enclosing: readonly string[];
}

function nestedGraphs(state: AslState): readonly StateGraph[] {
  if (state.Type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    return processor === undefined ? [] : [processor];
  }
  if (state.Type === 'Parallel') return state.Branches;
  return [];
}

function collect(graph: StateGraph, enclosing: readonly string[], into: DefinitionState[]): void {
  for (const [name, state] of Object.entries(graph.States)) {
    into.push({
      name,
      type: state.Type,
      definition: state,
      graph: graph.StartAt,
      ...(state.Type === 'Task' ? { resource: state.Resource } : {}),
      hasRetry: 'Retry' in state && state.Retry !== undefined && state.Retry.length > 0,
      enclosing,
    });
    for (const nested of nestedGraphs(state)) collect(nested, [...enclosing, name], into);
  }
}

export function listStates(definition: AslDefinition): DefinitionState[] {
  const states: DefinitionState[] = [];
  collect(definition, [], states);
  return states;
}
