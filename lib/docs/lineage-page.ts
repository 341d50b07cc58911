import type { DocsCatalog } from './catalog-model.ts';
import { lineageGraph } from './lineage-graph.ts';
import { layOutLineage } from './lineage-layout.ts';
import { LINEAGE_PAGE } from './page-paths.ts';
import { renderPage, type SitePage } from './site-templates.ts';

/** The lineage graph, laid out at generation time and drawn as inline SVG. */
export function lineagePage(catalog: DocsCatalog): SitePage {
  return renderPage('lineage.njk', LINEAGE_PAGE, {
    pageKind: 'lineage',
    title: 'Lineage',
    environment: catalog.environment,
    layout: layOutLineage(lineageGraph(catalog)),
  });
}
