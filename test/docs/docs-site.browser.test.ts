/**
 * The docs site in a real browser (issue 12 item 5): Debian's chromium, driven by playwright-core,
 * opens every generated page from file:// (no server), and the test asks the page itself: no
 * console or page errors, the lineage graph's nodes and edges, the values Chart.js holds for one
 * series of each chart, the search box finding a column. A screenshot of each page kind goes to
 * test-output/docs-site/. The browser is launched once for the file, with playwright's fresh
 * temporary profile, and never downloaded: without /usr/bin/chromium the test fails saying how to
 * install it (.ci/run does).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSettings } from '../../lib/cli/project-settings.ts';
import { docsCatalog } from '../../lib/docs/catalog-model.ts';
import { writeSite } from '../../lib/docs/generate-site.ts';
import { loadMlModels } from '../../lib/ml/load.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { DEV, FIXTURE_LINEAGE, fixtureCatalog, fixtureOrders, validateDeliveries } from './docs-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Needed on a machine whose network is closed: nothing may try to reach out, and no sandbox as root. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/docs-site/', import.meta.url));

let site: string;
let pages: string[];
let browser: Browser;
let page: Page;
/** What the current page reported as broken: console errors, uncaught exceptions, failed loads. */
let problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the docs site's browser test drives Debian's chromium. Install it: apt-get install chromium (.ci/run does)`);
  }
  const catalog = fixtureCatalog();
  const settings = projectSettings();
  const docs = docsCatalog({ catalog, dag: compileTransforms(catalog), mlModels: await loadMlModels(catalog, () => settings), identity: DEV, environments: settings.environments });
  const reports = await validateDeliveries(fixtureOrders(catalog));
  site = mkdtempSync(join(tmpdir(), 'docs-site-browser-'));
  pages = writeSite(site, { catalog: docs, reports: new Map([['shop/orders', reports]]), reportSource: 'the fixture' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed to load ${request.url()}: ${request.failure()?.errorText ?? ''}`));
});

afterAll(async () => {
  await browser?.close();
  if (site !== undefined) rmSync(site, { recursive: true, force: true });
});

async function open(path: string): Promise<void> {
  problems = [];
  await page.goto(pathToFileURL(join(site, path)).href, { waitUntil: 'load' });
}

describe('the docs site in chromium', () => {
  it('loads every page without a console error, a page error or a failed load, and screenshots each page kind', async () => {
    expect(pages).toEqual(
      expect.arrayContaining(['index.html', 'lineage.html', 'datasets/shop--orders.html', 'models/finance--revenue.html', 'ml/finance--big_spender.html', 'runbooks/pipeline-failed.html']),
    );
    const shot = new Set<string>();
    for (const path of pages) {
      await open(path);
      expect(problems, path).toEqual([]);
      const kind = await page.getAttribute('body', 'data-page');
      expect(kind, path).toBeTruthy();
      if (!shot.has(kind!)) {
        shot.add(kind!);
        await page.screenshot({ path: join(SCREENSHOTS, `${kind}.png`), fullPage: true });
      }
    }
    expect([...shot].sort()).toEqual(['dataset', 'index', 'lineage', 'ml-model', 'model', 'runbook']);
  });

  it('draws the lineage graph with exactly the expected nodes and edges, each node linking to its page', async () => {
    await open('lineage.html');
    const nodes = await page.$$eval('svg [data-node]', (elements) => elements.map((element) => element.getAttribute('data-node')));
    expect(nodes.sort()).toEqual(FIXTURE_LINEAGE.nodes);
    const edges = await page.$$eval('svg [data-edge]', (elements) => elements.map((element) => element.getAttribute('data-edge')));
    expect(edges.sort()).toEqual(FIXTURE_LINEAGE.edges);
    const box = await page.locator('[data-node="ml:finance/big_spender"]').boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    await page.click('[data-node="gold:finance/revenue"]');
    expect(page.url()).toMatch(/\/models\/finance--revenue\.html$/);
  });

  it("renders the history charts with one value per validation run, as Chart.js holds them", async () => {
    await open('datasets/shop--orders.html');
    const charts = await page.$$eval('canvas[data-chart]', (canvases) =>
      canvases.map((canvas) => {
        // Chart.js's UMD build, as the page loaded it.
        const { Chart } = globalThis as unknown as { Chart: { getChart(canvas: unknown): { data: { datasets: { label: string; data: (number | null)[] }[] } } | undefined } };
        const series = Chart.getChart(canvas)?.data.datasets.map((dataset) => [dataset.label, dataset.data] as const) ?? [];
        return [canvas.getAttribute('data-chart')!, Object.fromEntries(series)] as const;
      }),
    );
    const chart: Record<string, Record<string, (number | null)[]>> = Object.fromEntries(charts);
    expect(Object.keys(chart).sort()).toEqual(['classBalance', 'failedRows', 'missingValues', 'quarantined', 'rows']);
    // The three deliveries: clean (3 rows), 5 rows with 2 bad and 2 of 5 channels missing, clean (4 rows).
    expect(chart['rows']!['rows read']).toEqual([3, 5, 4]);
    expect(chart['quarantined']!['rows quarantined']).toEqual([0, 2, 0]);
    expect(chart['failedRows']!['amount.minimum']).toEqual([0, 1, 0]);
    expect(chart['missingValues']!['channel_present']).toEqual([0, 40, 0]);
    // Rarest status share: 1 of 3 placed, 1 of 5 lost, 2 of 4 either.
    expect(chart['classBalance']!['classBalance']!.map((value) => Math.round(value!))).toEqual([33, 20, 50]);
  });

  it('finds a column by name, and by a word of its description, and shows its dataset', async () => {
    await open('index.html');
    await page.fill('#search', 'sales_chan');
    const hit = page.locator('#search-results li[data-kind="column"][data-parent="shop/orders"]');
    await expect.poll(() => hit.count()).toBe(1);
    expect(await hit.locator('a').textContent()).toBe('shop/orders.sales_channel');
    expect(await hit.locator('a').getAttribute('href')).toBe('datasets/shop--orders.html#column-sales_channel');
    await page.fill('#search', 'storefront');
    await expect.poll(() => page.locator('#search-results li[data-kind="column"] a').allTextContents()).toEqual(['shop/orders.sales_channel']);
    await page.screenshot({ path: join(SCREENSHOTS, 'index-search.png'), fullPage: true });
    await hit.locator('a').click();
    expect(page.url()).toMatch(/datasets\/shop--orders\.html#column-sales_channel$/);
    expect(problems).toEqual([]);
  });
});
