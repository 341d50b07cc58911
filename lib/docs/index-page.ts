import type { ValidationReport } from '../validation/report.ts';
import type { DocsCatalog } from './catalog-model.ts';
import { INDEX_PAGE } from './page-paths.ts';
import { runbookEntries } from './runbook-page.ts';
import { SEARCH_FIELDS, searchDocuments } from './search-index.ts';
import { renderPage, type SitePage } from './site-templates.ts';

/** The index: every domain with its datasets (and their last verdict), models and ML models, the runbooks, and the search box. */
export function indexPage(catalog: DocsCatalog, lastReports: ReadonlyMap<string, ValidationReport>): SitePage {
  return renderPage('index.njk', INDEX_PAGE, {
    pageKind: 'index',
    title: 'Data catalog',
    environment: catalog.environment,
    domains: catalog.domains,
    lastReports: Object.fromEntries(lastReports),
    searchDocuments: searchDocuments(catalog),
    searchFields: SEARCH_FIELDS,
    runbooks: runbookEntries(),
  });
}
