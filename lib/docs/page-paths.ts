/**
 * Where each page of the docs site lives, relative to the site's root. Every page but the index
 * sits one folder down, so links between pages are relative (`../`) and the site opens from
 * `file://` as well as from any web server, wherever it is copied.
 */

/** `<domain>/<name>` as one file name: names are snake_case, so `--` never occurs in one. */
function fileNameOf(id: string): string {
  return `${id.replace('/', '--')}.html`;
}

const DATASETS_FOLDER = 'datasets';
const MODELS_FOLDER = 'models';
const ML_MODELS_FOLDER = 'ml';
const RUNBOOKS_FOLDER = 'runbooks';

export const INDEX_PAGE = 'index.html';
export const LINEAGE_PAGE = 'lineage.html';
export const ASSETS_FOLDER = 'assets';

export function datasetPage(ref: string): string {
  return `${DATASETS_FOLDER}/${fileNameOf(ref)}`;
}

export function modelPage(id: string): string {
  return `${MODELS_FOLDER}/${fileNameOf(id)}`;
}

export function mlModelPage(id: string): string {
  return `${ML_MODELS_FOLDER}/${fileNameOf(id)}`;
}

/** An alarm kind's runbook, named by its suffix without the placeholders (`warning-<rule id>` -> `warning`). */
export function runbookPage(suffix: string): string {
  const name = suffix.replace(/<[^>]*>/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${RUNBOOKS_FOLDER}/${name}.html`;
}

/** The way from a page back to the site's root: `''` for the index, `../` for the rest. */
export function rootOf(page: string): string {
  return '../'.repeat(page.split('/').length - 1);
}

/**
 * The folders a site is made of: regenerating a site replaces them whole, so a page of a dataset or
 * model that no longer exists does not linger, and nothing else of the output folder is touched
 * (and only in a folder marked as a generated site: `site-folder.ts`).
 */
export const SITE_FOLDERS: readonly string[] = [DATASETS_FOLDER, MODELS_FOLDER, ML_MODELS_FOLDER, RUNBOOKS_FOLDER, ASSETS_FOLDER];
