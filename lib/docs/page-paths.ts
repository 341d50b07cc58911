/**
 * Where each page of the docs site lives, relative to the site's root. Every page but the index
 * sits one folder down, so links between pages are relative (`../`) and the site opens from
 * `file://` as well as from any web server, wherever it is copied.
 */

/** `<domain>/<name>` as one file name: names are snake_case, so `--` never occurs in one. */
function fileNameOf(id: string): string {
  return `${id.replace('/', '--')}.html`;
}

export const INDEX_PAGE = 'index.html';
export const LINEAGE_PAGE = 'lineage.html';
export const ASSETS_FOLDER = 'assets';

export function datasetPage(ref: string): string {
  return `datasets/${fileNameOf(ref)}`;
}

export function modelPage(id: string): string {
  return `models/${fileNameOf(id)}`;
}

export function mlModelPage(id: string): string {
  return `ml/${fileNameOf(id)}`;
}

export function runbookPage(suffix: string): string {
  return `runbooks/${suffix.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}.html`;
}

/** The way from a page back to the site's root: `''` for the index, `../` for the rest. */
export function rootOf(page: string): string {
  return '../'.repeat(page.split('/').length - 1);
}
