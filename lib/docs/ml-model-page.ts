import type { DocsMlModel } from './catalog-model.ts';
import { mlModelPage as mlModelPagePath } from './page-paths.ts';
import { renderPage, type SitePage } from './site-templates.ts';

/** An ML model's page: its feature model, features, label, thresholds and approval per environment. */
export function mlModelPage(model: DocsMlModel, environment: string): SitePage {
  return renderPage('ml-model.njk', mlModelPagePath(model.id), { pageKind: 'ml-model', title: model.id, environment, model });
}
