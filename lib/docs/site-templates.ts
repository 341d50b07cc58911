/**
 * The nunjucks environment the pages render with. Autoescape is on: contract text (descriptions,
 * names, SQL) is user input, and a description holding `<script>` must show as text.
 */
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { jsonForScript } from './json-script.ts';
import { columnAnchor } from './column-anchor.ts';
import { ASSETS_FOLDER, datasetPage, INDEX_PAGE, LINEAGE_PAGE, mlModelPage, modelPage, rootOf } from './page-paths.ts';
import { VENDOR_ASSETS } from './site-assets.ts';
import { notEvaluatedReason } from '../validation/not-evaluated.ts';

const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url));

const environment = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES, { noCache: false }), { autoescape: true });
environment.addGlobal('assetsFolder', ASSETS_FOLDER);
environment.addGlobal('indexPage', INDEX_PAGE);
environment.addGlobal('lineagePage', LINEAGE_PAGE);
environment.addGlobal('vendor', VENDOR_ASSETS);
environment.addGlobal('columnAnchor', columnAnchor);
environment.addGlobal('datasetPage', datasetPage);
environment.addGlobal('modelPage', modelPage);
environment.addGlobal('mlModelPage', mlModelPage);
environment.addGlobal('notEvaluatedReason', notEvaluatedReason);
environment.addFilter('json_script', (value: unknown) => new nunjucks.runtime.SafeString(jsonForScript(value)));

/** One file of the site: where it goes (relative to the site's root) and what it holds. */
export interface SitePage {
  readonly path: string;
  readonly html: string;
}

/** Renders `template` for the page at `path`; `root` (the way back to the site's root) is given to every template. */
export function renderPage(template: string, path: string, context: Record<string, unknown>): SitePage {
  return { path, html: environment.render(template, { ...context, root: rootOf(path) }) };
}
