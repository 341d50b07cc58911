import type { ValidationReport } from '../validation/report.ts';
import type { DocsDataset } from './catalog-model.ts';
import { datasetPage as datasetPagePath } from './page-paths.ts';
import { renderPage, type SitePage } from './site-templates.ts';
import { inRunOrder, validationHistory } from './validation-history.ts';

/**
 * A dataset's page: schema, rules, owners, SLAs, names, the history charts of its validation runs
 * and its latest report. `source` says where the reports were read from.
 */
export function datasetPage(dataset: DocsDataset, environment: string, reports: readonly ValidationReport[], source: string): SitePage {
  return renderPage('dataset.njk', datasetPagePath(dataset.ref), {
    pageKind: 'dataset',
    title: dataset.ref,
    environment,
    dataset,
    history: validationHistory(reports),
    latest: inRunOrder(reports).at(-1),
    source,
  });
}
