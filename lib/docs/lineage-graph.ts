/**
 * The lineage graph: landing prefixes -> silver tables -> gold models (their refs, across domains)
 * -> ML models (their feature model). Node ids are the names the platform gives each thing (the
 * landing URI, `<database>.<table>`, the model ids), so a page, a test and a person read the same id.
 */
import { allDatasets, allMlModels, allModels, type DocsCatalog } from './catalog-model.ts';
import { datasetPage, mlModelPage, modelPage } from './page-paths.ts';

export type LineageNodeKind = 'landing' | 'silver' | 'gold' | 'ml';

export interface LineageNode {
  readonly id: string;
  readonly kind: LineageNodeKind;
  readonly label: string;
  /** The page the node links to, relative to the site's root. */
  readonly page: string;
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
}

export function lineageNodeId(kind: LineageNodeKind, name: string): string {
  return `${kind}:${name}`;
}

export function lineageGraph(catalog: DocsCatalog): LineageGraph {
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  const silverOf = new Map<string, string>();
  const goldOf = new Map<string, string>();
  for (const dataset of allDatasets(catalog)) {
    const landing = lineageNodeId('landing', dataset.landing);
    const silver = lineageNodeId('silver', dataset.silverTable);
    nodes.push({ id: landing, kind: 'landing', label: `landing ${dataset.landingPrefix}`, page: datasetPage(dataset.ref) });
    nodes.push({ id: silver, kind: 'silver', label: dataset.silverTable, page: datasetPage(dataset.ref) });
    edges.push({ from: landing, to: silver });
    silverOf.set(dataset.ref, silver);
  }
  const models = allModels(catalog);
  for (const model of models) {
    const gold = lineageNodeId('gold', model.id);
    nodes.push({ id: gold, kind: 'gold', label: model.table, page: modelPage(model.id) });
    goldOf.set(model.id, gold);
  }
  for (const model of models) {
    for (const input of model.inputs) {
      const from = input.kind === 'dataset' ? silverOf.get(input.id) : goldOf.get(input.id);
      if (from !== undefined) edges.push({ from, to: goldOf.get(model.id)! });
    }
  }
  for (const mlModel of allMlModels(catalog)) {
    const ml = lineageNodeId('ml', mlModel.id);
    nodes.push({ id: ml, kind: 'ml', label: `${mlModel.id} (ML)`, page: mlModelPage(mlModel.id) });
    const feature = goldOf.get(mlModel.featureModel);
    if (feature !== undefined) edges.push({ from: feature, to: ml });
  }
  return { nodes, edges };
}

/** `<from> -> <to>`: how an edge is named on the page. */
export function lineageEdgeId(edge: LineageEdge): string {
  return `${edge.from} -> ${edge.to}`;
}
