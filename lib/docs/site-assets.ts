/**
 * The files every page loads, copied into the site's `assets/` at generation time: the site's own
 * stylesheet and scripts, and the browser builds of MiniSearch and Chart.js from node_modules, so
 * the site needs no CDN and no network.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSETS_FOLDER } from './page-paths.ts';

const require = createRequire(import.meta.url);
const OWN_ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));

/** The vendored scripts as the pages load them, under `assets/`. */
export const VENDOR_ASSETS = { minisearch: 'minisearch.js', chart: 'chart.umd.min.js' } as const;

/** Where each vendored script comes from. */
function vendorSources(): Record<string, string> {
  return {
    // MiniSearch's UMD build defines the global `MiniSearch`.
    [VENDOR_ASSETS.minisearch]: join(dirname(require.resolve('minisearch')), '..', 'umd', 'index.js'),
    // Chart.js's UMD build defines the global `Chart` (and `Chart.getChart`, which the browser test asks).
    [VENDOR_ASSETS.chart]: join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
  };
}

export function copySiteAssets(siteRoot: string): void {
  const target = join(siteRoot, ASSETS_FOLDER);
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(OWN_ASSETS)) copyFileSync(join(OWN_ASSETS, name), join(target, name));
  for (const [name, source] of Object.entries(vendorSources())) copyFileSync(source, join(target, name));
}
