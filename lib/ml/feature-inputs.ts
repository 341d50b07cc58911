import type { TransformDag } from '../transforms/model.ts';

/**
 * The contract version of every dataset the feature model reads, directly or through other
 * models (`<domain>/<dataset>` -> semver), sorted by dataset: the lineage a registered version
 * carries, known at synth since the contracts are. Throws for a model the DAG does not hold.
 */
export function featureContractVersions(dag: Pick<TransformDag, 'models'>, featureModel: string): Record<string, string> {
  const byId = new Map(dag.models.map((model) => [model.id, model]));
  const versions = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const model = byId.get(id);
    if (model === undefined) throw new Error(`feature model '${id}' is not among the compiled models`);
    for (const target of model.resolved.values()) {
      if (target.kind === 'dataset') versions.set(target.id, target.dataset.contract.version);
      else visit(target.id);
    }
  };
  visit(featureModel);
  return Object.fromEntries([...versions.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
