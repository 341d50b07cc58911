import type { DocsModel } from './catalog-model.ts';
import { modelPage as modelPagePath } from './page-paths.ts';
import { renderPage, type SitePage } from './site-templates.ts';

/** A gold model's page: what it reads, its SQL as written, its tests and materialization. */
export function modelPage(model: DocsModel, environment: string): SitePage {
  return renderPage('model.njk', modelPagePath(model.id), { pageKind: 'model', title: model.id, environment, model });
}
