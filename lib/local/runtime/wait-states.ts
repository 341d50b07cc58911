/**
 * Offline, a Wait state only lets another local execution progress (the pipeline waits for a
 * dataset's lock), so its duration is the runtime's choice, as retry pauses are: the synthesized
 * 30 s would make a local run wait minutes for nothing. `runStateMachine` takes no wait override,
 * so the runtime runs a copy of the definition whose `Seconds` waits are shortened; nothing else
 * changes, and the state names it covers are the synthesized ones.
 */
import type { AslDefinition } from '../stepfunctions/states.ts';

type Graph = { readonly States: Readonly<Record<string, unknown>> };

function withWaits<T extends Graph>(graph: T, seconds: number): T {
  const states = Object.fromEntries(
    Object.entries(graph.States).map(([name, state]) => {
      const value = state as Record<string, unknown>;
      if (value['Type'] === 'Wait' && typeof value['Seconds'] === 'number') return [name, { ...value, Seconds: seconds }];
      if (value['Type'] === 'Map') {
        const processor = (value['ItemProcessor'] ?? value['Iterator']) as Graph | undefined;
        const key = value['ItemProcessor'] === undefined ? 'Iterator' : 'ItemProcessor';
        return [name, processor === undefined ? value : { ...value, [key]: withWaits(processor, seconds) }];
      }
      if (value['Type'] === 'Parallel') {
        return [name, { ...value, Branches: (value['Branches'] as Graph[]).map((branch) => withWaits(branch, seconds)) }];
      }
      return [name, value];
    }),
  );
  return { ...graph, States: states };
}

/** A copy of `definition` in which every `Seconds` Wait, nested ones included, waits `seconds`. */
export function withWaitSeconds(definition: AslDefinition, seconds: number): AslDefinition {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`a wait must be a whole number of seconds of at least 0, got ${seconds}`);
  return withWaits(definition, seconds);
}
