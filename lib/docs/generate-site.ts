/**
 * Writes the docs site: one page per dataset, model, ML model and alarm kind, the index and the lineage graph,
 * plus the assets they load. Plain files: the site opens from `file://` with no server.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ValidationReport } from '../validation/report.ts';
import { allDatasets, allMlModels, allModels, type DocsCatalog } from './catalog-model.ts';
import { datasetPage } from './dataset-page.ts';
import { indexPage } from './index-page.ts';
import { lineagePage } from './lineage-page.ts';
import { mlModelPage } from './ml-model-page.ts';
import { modelPage } from './model-page.ts';
import { SITE_FOLDERS } from './page-paths.ts';
import { alarmKinds, runbookPage } from './runbook-page.ts';
import { copySiteAssets } from './site-assets.ts';
import { markSiteFolder, siteFolderRefusal } from './site-folder.ts';
import type { SitePage } from './site-templates.ts';
import { inRunOrder } from './validation-history.ts';

export interface SiteInput {
  readonly catalog: DocsCatalog;
  /** `<domain>/<dataset>` -> its validation reports, in any order. */
  readonly reports: ReadonlyMap<string, readonly ValidationReport[]>;
  /** Where the reports came from, as the pages say it: a folder or an `s3://` URI. */
  readonly reportSource: string;
}

export function sitePages(input: SiteInput): SitePage[] {
  const { catalog, reports, reportSource } = input;
  const reportsOf = (ref: string): readonly ValidationReport[] => reports.get(ref) ?? [];
  const lastReports = new Map(
    allDatasets(catalog).flatMap((dataset) => {
      const last = inRunOrder(reportsOf(dataset.ref)).at(-1);
      return last === undefined ? [] : [[dataset.ref, last] as const];
    }),
  );
  return [
    indexPage(catalog, lastReports),
    lineagePage(catalog),
    ...allDatasets(catalog).map((dataset) => datasetPage(dataset, catalog.environment, reportsOf(dataset.ref), reportSource)),
    ...allModels(catalog).map((model) => modelPage(model, catalog.environment)),
    ...allMlModels(catalog).map((model) => mlModelPage(model, catalog.environment)),
    ...alarmKinds().map((kind) => runbookPage(kind, catalog.environment)),
  ];
}

/**
 * Writes the site under `outDir`, replacing a site generated there before, and returns the pages'
 * paths, relative to it. Refuses, touching nothing, a folder that is neither new, empty nor a site.
 */
export function writeSite(outDir: string, input: SiteInput): string[] {
  const refusal = siteFolderRefusal(outDir);
  if (refusal !== undefined) throw new Error(refusal);
  const pages = sitePages(input);
  mkdirSync(outDir, { recursive: true });
  markSiteFolder(outDir);
  for (const folder of SITE_FOLDERS) rmSync(join(outDir, folder), { recursive: true, force: true });
  for (const page of pages) {
    const file = join(outDir, page.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, page.html);
  }
  copySiteAssets(outDir);
  return pages.map((page) => page.path);
}
