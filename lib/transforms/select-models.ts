import { didYouMean } from '../contracts/did-you-mean.ts';
import type { TransformDag } from './model.ts';

/** A selector that names no model; the message carries a did-you-mean. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/**
 * dbt's node selection: `<domain>/<model>` (or `<model>` when only one domain has it), `+x` adds
 * everything x reads, `x+` everything that reads x. No selector selects every model. Ids come
 * back in DAG order.
 */
export function selectModels(dag: TransformDag, selector?: string): string[] {
  if (selector === undefined) return [...dag.order];
  const upstream = selector.startsWith('+');
  const downstream = selector.endsWith('+') && selector.length > 1;
  const name = selector.slice(upstream ? 1 : 0, downstream ? -1 : undefined);
  const id = resolveName(dag, name);
  const chosen = new Set([id]);
  if (upstream) walk(dag, id, chosen, (from) => dag.models.find((model) => model.id === from)?.upstream ?? []);
  if (downstream) walk(dag, id, chosen, (from) => dag.models.filter((model) => model.upstream.includes(from)).map((model) => model.id));
  return dag.order.filter((candidate) => chosen.has(candidate));
}

function resolveName(dag: TransformDag, name: string): string {
  if (dag.order.includes(name)) return name;
  const matches = dag.models.filter((model) => model.name === name);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) throw new SelectorError(`model name '${name}' is in several domains: write one of ${matches.map((model) => model.id).join(', ')}`);
  const known = [...dag.order, ...dag.models.map((model) => model.name)];
  const models = dag.order.length === 0 ? 'there are no models' : `models: ${dag.order.join(', ')}`;
  throw new SelectorError(`no model '${name}'${didYouMean(name, known)} (${models})`);
}

function walk(dag: TransformDag, start: string, chosen: Set<string>, next: (id: string) => readonly string[]): void {
  const queue = [start];
  while (queue.length > 0) {
    for (const id of next(queue.shift()!)) {
      if (!chosen.has(id) && dag.order.includes(id)) {
        chosen.add(id);
        queue.push(id);
      }
    }
  }
}
