/**
 * The docs site's generation without a browser (issue 12 item 4): what the pages say, the lineage
 * graph's nodes and edges, the history series, escaping of contract text, and the `docs` command
 * reading reports from the local lake and from an S3 prefix (the project's local S3 server).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../lib/cli/main.ts';
import { projectSettings } from '../../lib/cli/project-settings.ts';
import type { Catalog, Dataset } from '../../lib/contracts/model.ts';
import { docsCatalog, type DocsCatalog } from '../../lib/docs/catalog-model.ts';
import { datasetPage } from '../../lib/docs/dataset-page.ts';
import { sitePages, writeSite } from '../../lib/docs/generate-site.ts';
import { runbookPage } from '../../lib/docs/page-paths.ts';
import { SITE_MARKER } from '../../lib/docs/site-folder.ts';
import { indexPage } from '../../lib/docs/index-page.ts';
import { lineageGraph, lineageEdgeId } from '../../lib/docs/lineage-graph.ts';
import { validationHistory } from '../../lib/docs/validation-history.ts';
import { readValidationReports } from '../../lib/docs/validation-reports.ts';
import { LOCAL_S3_CREDENTIALS } from '../../lib/local/s3-server.ts';
import { loadMlModels } from '../../lib/ml/load.ts';
import { ALARM_KINDS, ALARM_PRIORITY_LABEL, renderAlarmText, type AlarmKind } from '../../lib/pipeline/alarm-kinds.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { deriveRules } from '../../lib/validation/derive-rules.ts';
import type { ValidationReport } from '../../lib/validation/report.ts';
import { AUDIT_BUCKET, auditServer, DEV, FIXTURE_CONTRACTS, FIXTURE_LINEAGE, fixtureCatalog, fixtureOrders, putReports, validateDeliveries } from './docs-fixture.ts';

let scratch: string;
let catalog: Catalog;
let orders: Dataset;
let docs: DocsCatalog;
let reports: ValidationReport[];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'docs-site-'));
  catalog = fixtureCatalog();
  orders = fixtureOrders(catalog);
  const settings = projectSettings();
  const mlModels = await loadMlModels(catalog, () => settings);
  docs = docsCatalog({ catalog, dag: compileTransforms(catalog), mlModels, identity: DEV, environments: settings.environments });
  reports = await validateDeliveries(orders);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Text as an autoescaping template writes it into HTML. */
function escaped(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function historyJson(html: string): { runs: string[]; charts: { kind: string; series: { label: string; data: (number | null)[] }[] }[] } {
  const match = /<script type="application\/json" id="validation-history">(.*?)<\/script>/s.exec(html);
  expect(match, 'the page embeds its history').not.toBeNull();
  return JSON.parse(match![1]!);
}

async function docsCommand(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['docs', ...args], { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the catalog the pages show', () => {
  it("gives a dataset the validator's own rules, its owners, SLAs, classification and platform names", () => {
    const dataset = docs.domains.find((domain) => domain.name === 'shop')!.datasets[0]!;
    expect(dataset.rules.map((rule) => [rule.id, rule.severity])).toEqual(deriveRules(orders).map((rule) => [rule.id, rule.severity]));
    expect(dataset.rules.find((rule) => rule.id === 'channel_present')).toMatchObject({ kind: 'missingValues', column: 'sales_channel', severity: 'warning', threshold: 'mustBeLessThan 50 percent' });
    expect(dataset).toMatchObject({
      ref: 'shop/orders',
      contract: { id: 'urn:datacontract:shop:orders', version: '1.2.0', file: join('contracts', 'shop', 'orders.yaml') },
      owner: { team: 'shop-data' },
      domainOwner: { team: 'shop-data', email: 'shop-data@example.com' },
      alertEmails: ['shop-oncall@example.com'],
      sla: { frequency: '1 d', retention: '90 days' },
      classification: 'restricted',
      landing: 's3://acme-dev-landing-111111111111-eu-west-1/shop/orders/',
      silverTable: 'acme_dev_shop.orders',
      reportPrefix: 'reports/shop/orders/',
    });
    expect(dataset.columns.find((column) => column.name === 'customer_email')).toMatchObject({ sensitive: true, tags: ['pii'], required: false });
  });

  it('shows a classification it cannot rank (ODCS allows any string) beside the most restrictive ranked one', () => {
    const shown = (labels: readonly string[]) => {
      const relabelled: Catalog = {
        ...catalog,
        domains: catalog.domains.map((domain) => ({
          ...domain,
          datasets: domain.datasets.map((dataset) =>
            dataset === orders ? { ...dataset, columns: dataset.columns.map((column, index) => ({ ...column, classification: labels[index % labels.length] })) } : dataset,
          ),
        })),
      };
      const relabelledDocs = docsCatalog({ catalog: relabelled, dag: compileTransforms(catalog), mlModels: [], identity: DEV, environments: projectSettings().environments });
      return relabelledDocs.domains.find((domain) => domain.name === 'shop')!.datasets[0]!.classification;
    };
    expect(shown(['internal', 'level-3', 'restricted'])).toBe('restricted, level-3');
    expect(shown(['public'])).toBe('public');
  });

  it('draws lineage from landing to silver, to gold models across domains, to the ML model', () => {
    const graph = lineageGraph(docs);
    expect(graph.nodes.map((node) => node.id).sort()).toEqual(FIXTURE_LINEAGE.nodes);
    expect(graph.edges.map(lineageEdgeId).sort()).toEqual(FIXTURE_LINEAGE.edges);
  });
});

describe('validation history', () => {
  it('has one point per run in the order the runs started, whatever order the reports come in', () => {
    const history = validationHistory([reports[2]!, reports[0]!, reports[1]!]);
    expect(history.runs).toEqual(reports.map((report) => report.startedAt));
    const series = (kind: string, label: string) => history.charts.find((chart) => chart.kind === kind)?.series.find((candidate) => candidate.label === label)?.data;
    expect(series('rows', 'rows read')).toEqual([3, 5, 4]);
    expect(series('quarantined', 'rows quarantined')).toEqual([0, 2, 0]);
    expect(series('failedRows', 'amount.minimum')).toEqual([0, 1, 0]);
    expect(series('failedRows', 'status_known')).toEqual([0, 1, 0]);
    expect(series('missingValues', 'channel_present')).toEqual([0, 40, 0]);
    // Rarest status share: 1 of 3 placed, 1 of 5 lost, 2 of 4 either.
    expect(series('classBalance', 'classBalance')?.map((value) => Math.round(value!))).toEqual([33, 20, 50]);
  });

  it('leaves a gap where a run did not have the rule', () => {
    const older = { ...reports[0]!, rules: reports[0]!.rules.filter((rule) => rule.id !== 'channel_present') };
    const history = validationHistory([older, reports[1]!]);
    expect(history.charts.find((chart) => chart.kind === 'missingValues')!.series[0]!.data).toEqual([null, 40]);
  });
});

describe('contract text is user input', () => {
  it('shows markup in a description as text on the dataset page and in the embedded search index', () => {
    const dataset = docs.domains.find((domain) => domain.name === 'shop')!.datasets[0]!;
    const page = datasetPage(dataset, 'dev', reports, 'the test').html;
    expect(page).toContain('&lt;script&gt;alert(&quot;not escaped&quot;)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert');
    const index = indexPage(docs, new Map()).html;
    expect(index).not.toContain('<script>alert');
    expect(index).toContain('\\u003cscript\\u003ealert');
  });
});

describe('rules nothing evaluates', () => {
  it('are listed on the dataset page with their reason, and shown as not evaluated (never failed) in the latest report', () => {
    const dataset = docs.domains.find((domain) => domain.name === 'shop')!.datasets[0]!;
    const withText = { ...dataset, notEvaluated: [{ id: 'text', kind: 'text' as const, column: null, reason: 'a text rule describes a check in words, and nothing runs it' }] };
    const latest = reports[reports.length - 1]!;
    const notRun = { ...latest.rules[0]!, id: 'text', kind: 'text' as const, status: 'notEvaluated' as const, passed: false, message: 'not evaluated: a text rule' };
    const page = datasetPage(withText, 'dev', [...reports.slice(0, -1), { ...latest, rules: [...latest.rules, notRun] }], 'the test').html;
    expect(page).toContain('<li data-rule="text"><code>text</code> (text): a text rule describes a check in words, and nothing runs it</li>');
    expect(page).toMatch(/<tr data-rule="text">\s*<td><code>text<\/code><\/td>\s*<td><span class="badge [a-z]+">[a-z]+<\/span><\/td>\s*<td><span class="badge not-evaluated">not evaluated<\/span> a text rule<\/td>/);
  });
});

describe('runbook pages', () => {
  it('renders one page per kind of the alarm catalog, in its words', () => {
    const runbooks = sitePages({ catalog: docs, reports: new Map(), reportSource: 'nowhere' }).filter((page) => page.path.startsWith('runbooks/'));
    const kinds: AlarmKind[] = Object.values(ALARM_KINDS);
    expect(runbooks.map((page) => page.path).sort()).toEqual(kinds.map((kind) => runbookPage(kind.suffix)).sort());
    expect(new Set(runbooks.map((page) => page.path)).size).toBe(kinds.length);
    const subject = { name: '<name>', environment: '<env>', rule: '<rule id>' };
    for (const kind of kinds) {
      const html = runbooks.find((page) => page.path === runbookPage(kind.suffix))!.html;
      expect(html).toContain(escaped(kind.title));
      expect(html).toContain(escaped(ALARM_PRIORITY_LABEL[kind.priority]));
      expect(html).toContain(escaped(renderAlarmText(kind.whatBroke, subject)));
      expect(html).toContain(escaped(renderAlarmText(kind.whatToDoFirst, subject)));
    }
    expect(runbookPage(ALARM_KINDS.warningRule.suffix)).toBe('runbooks/warning.html');
  });
});

describe('writing the site', () => {
  it("replaces the pages of a site generated before, so a removed model's page goes, and keeps the folder's other files", () => {
    const out = join(scratch, 'regenerated');
    expect(writeSite(out, { catalog: docs, reports: new Map(), reportSource: 'nowhere' })).toContain('models/finance--revenue.html');
    writeFileSync(join(out, 'NOTES.md'), 'mine');
    const withoutFinanceModels: DocsCatalog = { ...docs, domains: docs.domains.map((domain) => (domain.name === 'finance' ? { ...domain, models: [], mlModels: [] } : domain)) };
    const pages = writeSite(out, { catalog: withoutFinanceModels, reports: new Map(), reportSource: 'nowhere' });
    expect(pages).not.toContain('models/finance--revenue.html');
    expect(existsSync(join(out, 'models', 'finance--revenue.html'))).toBe(false);
    expect(existsSync(join(out, 'models', 'shop--order_totals.html'))).toBe(true);
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, SITE_MARKER), 'utf8')).toContain('lakehouse docs');
  });

  it('writes into an empty folder, and refuses a folder with files of its own and no site in it, losing nothing', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    expect(writeSite(empty, { catalog: docs, reports: new Map(), reportSource: 'nowhere' })).toContain('index.html');
    const mine = join(scratch, 'mine');
    mkdirSync(join(mine, 'models'), { recursive: true });
    mkdirSync(join(mine, 'assets'));
    writeFileSync(join(mine, 'models', 'thesis.txt'), 'years of work');
    writeFileSync(join(mine, 'assets', 'logo.png'), 'a logo');
    const refused = await docsCommand(['--out', mine, '--contracts', FIXTURE_CONTRACTS, '--lake', join(scratch, 'no-lake')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`--out: ${mine} is not empty and holds no site generated by 'lakehouse docs' (it has no ${SITE_MARKER})`);
    expect(() => writeSite(mine, { catalog: docs, reports: new Map(), reportSource: 'nowhere' })).toThrow(`${mine} is not empty`);
    expect(readdirSync(mine, { recursive: true }).map(String).sort()).toEqual(['assets', join('assets', 'logo.png'), 'models', join('models', 'thesis.txt')]);
    expect(readFileSync(join(mine, 'models', 'thesis.txt'), 'utf8')).toBe('years of work');
  });
});

describe('reading reports from an audit zone', () => {
  it('reads every report under the dataset prefix and names each object that is not one', async () => {
    const server = await auditServer(join(scratch, 'zone'));
    try {
      await putReports(server, orders, reports, 'audit/');
      const put = (key: string, body: string) => server.client.send(new PutObjectCommand({ Bucket: AUDIT_BUCKET, Key: key, Body: body }));
      await put('audit/reports/shop/orders/2026/11/23/broken.json', '{"reportVersion":');
      await put('audit/reports/shop/orders/2026/11/23/other.json', JSON.stringify({ ...reports[0], dataset: 'shop/other' }));
      await put('audit/reports/shop/orders/2026/11/23/notes.txt', 'not a report');
      const read = await readValidationReports({ s3: server.client, bucket: AUDIT_BUCKET, prefix: 'audit/' }, docs.domains.flatMap((domain) => domain.datasets));
      expect(read.reports.get('shop/orders')!.map((report) => report.file).sort()).toEqual(reports.map((report) => report.file).sort());
      expect(read.problems).toEqual([
        expect.stringMatching(/^s3:\/\/acme-dev-audit-111111111111-eu-west-1\/audit\/reports\/shop\/orders\/2026\/11\/23\/broken\.json: not JSON/),
        `s3://${AUDIT_BUCKET}/audit/reports/shop/orders/2026/11/23/notes.txt: not a report: the validator writes only .json objects under reports/`,
        `s3://${AUDIT_BUCKET}/audit/reports/shop/orders/2026/11/23/other.json: not a version 1 validation report of shop/orders`,
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('lakehouse docs', () => {
  it('refuses a call without --out, a --from that is no S3 URI, and two sources, naming the flag', async () => {
    const noOut = await docsCommand(['--contracts', FIXTURE_CONTRACTS]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out <dir> is required');
    const badFrom = await docsCommand(['--out', join(scratch, 'x'), '--from', 'https://example.com/audit']);
    expect(badFrom.code).toBe(2);
    expect(badFrom.err).toContain("--from must be an S3 URI, s3://<bucket>/<prefix>, not 'https://example.com/audit'");
    const both = await docsCommand(['--out', join(scratch, 'x'), '--from', 's3://b/', '--lake', scratch]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--from and --lake');
  });

  it("generates the site from the local lake's audit bucket and prints its index", async () => {
    const lake = join(scratch, 'lake');
    const server = await auditServer(join(lake, 's3'));
    await putReports(server, orders, reports);
    await server.close();
    const out = join(scratch, 'site-from-lake');
    const result = await docsCommand(['--out', out, '--contracts', FIXTURE_CONTRACTS, '--lake', lake]);
    expect(result.err).toMatch(/\b\d+ pages from 3 validation reports/);
    expect(result.code).toBe(0);
    expect(result.out).toBe(join(out, 'index.html'));
    expect(historyJson(readFileSync(join(out, 'datasets', 'shop--orders.html'), 'utf8')).runs).toEqual(reports.map((report) => report.startedAt));
  });

  it('exits 2, generating nothing, when the --lake audit bucket cannot be read', async () => {
    const lake = join(scratch, 'not-a-lake');
    mkdirSync(join(lake, 's3'), { recursive: true });
    writeFileSync(join(lake, 's3', AUDIT_BUCKET), 'a file where the bucket folder should be');
    const out = join(scratch, 'site-from-not-a-lake');
    const result = await docsCommand(['--out', out, '--contracts', FIXTURE_CONTRACTS, '--lake', lake]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`lakehouse docs: nothing was generated: cannot read the reports under ${join(lake, 's3', AUDIT_BUCKET)}`);
    expect(existsSync(out)).toBe(false);
  });

  it('signs its --from requests for the region of the AWS profile when only the profile sets one, else for cdk.json\'s', async () => {
    // An S3 endpoint that answers every listing with no objects and keeps each request's signature, whose scope names the region.
    const signatures: string[] = [];
    const endpoint = createServer((request, response) => {
      signatures.push(request.headers.authorization ?? '');
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>');
    });
    await new Promise<void>((listening) => endpoint.listen(0, '127.0.0.1', listening));
    const config = join(scratch, 'aws-config');
    // The SDK takes no credentials from the environment when a profile is named, so the profiles hold them.
    const credentials = `aws_access_key_id = ${LOCAL_S3_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${LOCAL_S3_CREDENTIALS.secretAccessKey}\n`;
    writeFileSync(config, `[profile docs-reader]\nregion = ap-southeast-2\n${credentials}[profile regionless]\n${credentials}`);
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`);
      vi.stubEnv('AWS_REGION', undefined);
      vi.stubEnv('AWS_CONFIG_FILE', config);
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(scratch, 'no-credentials-file'));
      // No instance metadata to ask: the test runs on no EC2 instance.
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      for (const [profile, region] of [['docs-reader', 'ap-southeast-2'], ['regionless', DEV.region]] as const) {
        vi.stubEnv('AWS_PROFILE', profile);
        signatures.length = 0;
        const result = await docsCommand(['--out', join(scratch, `site-${profile}`), '--contracts', FIXTURE_CONTRACTS, '--from', 's3://some-audit-bucket/']);
        expect(result.code, result.err).toBe(0);
        expect(signatures.length).toBeGreaterThan(0);
        for (const signature of signatures) expect(signature).toContain(`/${region}/s3/aws4_request`);
      }
    } finally {
      vi.unstubAllEnvs();
      endpoint.close();
    }
  });

  it('reads the reports from an S3 prefix with --from, through the SDK as configured by the environment', async () => {
    const server = await auditServer(join(scratch, 'remote'));
    try {
      await putReports(server, orders, reports, 'zone/');
      vi.stubEnv('AWS_ENDPOINT_URL_S3', server.endpoint);
      vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_S3_CREDENTIALS.accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_S3_CREDENTIALS.secretAccessKey);
      vi.stubEnv('AWS_REQUEST_CHECKSUM_CALCULATION', 'WHEN_REQUIRED');
      vi.stubEnv('AWS_RESPONSE_CHECKSUM_VALIDATION', 'WHEN_REQUIRED');
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      const out = join(scratch, 'site-from-s3');
      const result = await docsCommand(['--out', out, '--contracts', FIXTURE_CONTRACTS, '--from', `s3://${AUDIT_BUCKET}/zone`]);
      expect(result.err).toContain('from 3 validation reports');
      expect(result.code).toBe(0);
      const page = readFileSync(join(out, 'datasets', 'shop--orders.html'), 'utf8');
      expect(page).toContain(`s3://${AUDIT_BUCKET}/zone/`);
      expect(historyJson(page).runs).toHaveLength(3);
    } finally {
      vi.unstubAllEnvs();
      await server.close();
    }
  });
});
