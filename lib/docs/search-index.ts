/**
 * The documents the index page's search box finds: datasets, their columns, gold models and ML
 * models, by name and description. Embedded in the index page as JSON (a page opened from
 * `file://` cannot fetch a file beside it) and indexed by MiniSearch in the browser.
 */
import { allDatasets, allMlModels, allModels, type DocsCatalog } from './catalog-model.ts';
import { columnAnchor } from './column-anchor.ts';
import { datasetPage, mlModelPage, modelPage } from './page-paths.ts';

export interface SearchDocument {
  /** Unique across the site. */
  readonly id: string;
  readonly kind: 'dataset' | 'column' | 'model' | 'ml model';
  readonly name: string;
  readonly description: string;
  /** The dataset or model it belongs to (`<domain>/<name>`). */
  readonly parent: string;
  /** Relative to the site's root. */
  readonly url: string;
}

/** The fields MiniSearch indexes; the page's script reads them from the embedded JSON too. */
export const SEARCH_FIELDS = ['name', 'description', 'parent'] as const;

export function searchDocuments(catalog: DocsCatalog): SearchDocument[] {
  const datasets = allDatasets(catalog).flatMap((dataset): SearchDocument[] => [
    { id: `dataset:${dataset.ref}`, kind: 'dataset', name: dataset.name, description: dataset.description ?? '', parent: dataset.ref, url: datasetPage(dataset.ref) },
    ...dataset.columns.map((column): SearchDocument => ({
      id: `column:${dataset.ref}.${column.name}`,
      kind: 'column',
      name: column.name,
      description: column.description ?? '',
      parent: dataset.ref,
      url: `${datasetPage(dataset.ref)}#${columnAnchor(column.name)}`,
    })),
  ]);
  const models = allModels(catalog).map((model): SearchDocument => ({
    id: `model:${model.id}`,
    kind: 'model',
    name: model.name,
    description: model.description ?? '',
    parent: model.id,
    url: modelPage(model.id),
  }));
  const mlModels = allMlModels(catalog).map((model): SearchDocument => ({
    id: `ml:${model.id}`,
    kind: 'ml model',
    name: model.name,
    description: model.description ?? '',
    parent: model.id,
    url: mlModelPage(model.id),
  }));
  return [...datasets, ...models, ...mlModels];
}
