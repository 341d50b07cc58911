import type { ContractProblem } from '../contracts/problems.ts';
import type { TransformModel } from './model.ts';

/**
 * Models in dependency order (ties broken by id, so the order is stable), or the first cycle found,
 * reported at the ref that closes it with the whole path: `a -> b -> a`.
 */
export function orderModels(models: readonly TransformModel[]): { readonly models: TransformModel[] } | { readonly cycle: ContractProblem } {
  const byId = new Map(models.map((model) => [model.id, model]));
  const sorted = [...models].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: TransformModel[] = [];
  const path: string[] = [];

  const visit = (model: TransformModel): ContractProblem | undefined => {
    if (state.get(model.id) === 'done') return undefined;
    path.push(model.id);
    state.set(model.id, 'visiting');
    for (const upstreamId of [...model.upstream].sort()) {
      if (state.get(upstreamId) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(upstreamId)), upstreamId];
        const closingRef = [...model.resolved].find(([, target]) => target.id === upstreamId)![0];
        const at = model.refs.find((call) => call.name === closingRef)!.position;
        return { ...at, message: `models form a cycle: ${cycle.join(' -> ')}` };
      }
      const problem = visit(byId.get(upstreamId)!);
      if (problem !== undefined) return problem;
    }
    path.pop();
    state.set(model.id, 'done');
    ordered.push(model);
    return undefined;
  };

  for (const model of sorted) {
    const cycle = visit(model);
    if (cycle !== undefined) return { cycle };
  }
  return { models: ordered };
}
