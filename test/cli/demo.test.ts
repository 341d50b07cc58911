import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { MODEL_PACKAGE_STATE_CHANGE, SAGEMAKER_EVENT_SOURCE } from '../../lib/ml/model-package-state-change.ts';
import { LAKEHOUSE_EVENT_SOURCE } from '../../lib/pipeline/dataset-loaded-event.ts';
import { repoRoot } from './run-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'demo-'));
/** The demo's workspace, with something in it the demo must delete first. */
const lake = join(scratch, 'lake');
let result: SpawnSyncReturns<string>;

beforeAll(() => {
  mkdirSync(join(lake, 'tables', 'stale'), { recursive: true });
  writeFileSync(join(lake, 'alerts.log'), '{"stale":true}\n');
  result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/demo.ts', '--lake', lake], { cwd: repoRoot, encoding: 'utf8' });
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const lines = (file: string) => readFileSync(join(lake, file), 'utf8').trim().split('\n');

describe('npm run demo', () => {
  it('succeeds, writing nothing to stderr', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('checks the contracts and prints per environment and domain what would be deployed', () => {
    expect(result.stdout).toMatch(/sales: customers, order_items, orders/);
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(result.stdout).toMatch(new RegExp(`^${environment}  account \\d{12}, region [a-z0-9-]+$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`platform  ${environment}/${environment}-Platform \\(\\d+ resources: .*8 S3 Bucket`));
      expect(result.stdout).toMatch(new RegExp(`^  overview  ${environment}/${environment}-PlatformMonitoring \\(1 resources: 1 CloudWatch Dashboard\\)$`, 'm'));
    }
    expect(result.stdout).toMatch(/^ {4}dev\/dev-Sales \(\d+ resources: .*1 Glue Database/m);
    expect(result.stdout).toMatch(/^ {4}dev\/dev-SalesMonitoring \(2 resources: 1 CloudWatch Dashboard, 1 CloudWatch CompositeAlarm\)$/m);
  });

  it('starts from a clean workspace and says so', () => {
    expect(result.stdout).toContain(`deleted ${lake}/ first`);
    expect(lines('alerts.log').some((line) => line.includes('stale'))).toBe(false);
  });

  it('shows the first run state by state', () => {
    expect(result.stdout).toMatch(/^ {6}▶ Validate$/m);
    expect(result.stdout).toMatch(/^ {6}✓ Load \d+ ms$/m);
  });

  it('loads every clean sample, quarantines the broken ones, and loads the good rows of orders.broken.csv', () => {
    const summary = result.stdout.slice(result.stdout.indexOf('== Summary'));
    const row = (dataset: string, file: string) => new RegExp(`^${dataset}\\s+contracts/\\S+/samples/${file.replaceAll('.', '\\.')}\\s+(.+?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, 'm');
    const expectRow = (dataset: string, file: string, cells: [string, number, number, number]) =>
      expect(row(dataset, file).exec(summary)?.slice(1)).toEqual(cells.map(String));
    // The tables also hold the churn samples the ML step generated and loaded, listed after the shipped ones.
    const generated = (dataset: string): number => Number(new RegExp(`^${dataset}\\s+\\S+-churn-seed-\\d+\\.\\w+\\s+SUCCEEDED\\s+(\\d+)\\s+0\\s+\\d+$`, 'm').exec(summary)?.[1]);
    expectRow('sales/orders', 'orders.csv', ['SUCCEEDED', 36, 0, 64 + generated('sales/orders')]);
    expectRow('sales/orders', 'orders.broken.csv', ['SUCCEEDED, rows quarantined', 28, 17, 64 + generated('sales/orders')]);
    expectRow('sales/customers', 'customers.broken.csv', ['FAILED: rejected', 0, 25, 30 + generated('sales/customers')]);
    expectRow('marketing/web_events', 'web_events.broken.jsonl', ['FAILED: rejected', 0, 30, 50 + generated('marketing/web_events')]);
    // Six clean deliveries and a replay of the shipped samples, three generated churn samples.
    expect(summary.match(/ SUCCEEDED {2,}\d+ +0 /g)).toHaveLength(9);
    expect(summary.match(/ FAILED: rejected +0 +\d+ /g)).toHaveLength(4);
  });

  it('runs a clean file again without duplicating a row', () => {
    expect(result.stdout).toMatch(/^ {2}rows in "acme_dev_\w+"\."\w+": (\d+) before, \1 after$/m);
  });

  it('builds and tests every example model on the loaded tables, in DAG order, and publishes each', () => {
    const section = result.stdout.slice(result.stdout.indexOf('== Building and testing the models'), result.stdout.indexOf('== The example ML model'));
    const rows = [...section.matchAll(/^(\w+\/\w+)\s+(view|table|incremental)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)$/gm)].map((match) => ({
      model: match[1]!,
      materialized: match[2],
      status: match[3],
      rows: Number(match[4]),
      testsPassed: Number(match[5]),
      testsFailed: Number(match[6]),
      snapshot: match[7],
    }));
    expect(rows.map((row) => [row.model, row.materialized, row.status])).toEqual([
      ['marketing/campaign_summary', 'view', 'published'],
      ['marketing/customer_churn_features', 'table', 'published'],
      ['marketing/web_events_by_customer_country', 'table', 'published'],
      ['sales/daily_revenue', 'incremental', 'published'],
    ]);
    for (const row of rows) {
      expect(row.testsPassed).toBeGreaterThan(0);
      expect(row.testsFailed).toBe(0);
      if (row.materialized === 'view') expect(row.snapshot).toBe('-');
      else {
        expect(row.rows).toBeGreaterThan(0);
        expect(row.snapshot).toMatch(/^\d+$/);
      }
    }
    const published = new LocalLake(lake);
    for (const row of rows.filter((candidate) => candidate.materialized !== 'view')) {
      const [domain, table] = row.model.split('/') as [string, string];
      // A snapshot of the table (the ML step rebuilds the churn features later, so not always its current one).
      const snapshot = published.snapshot(`acme_dev_${domain}`, table, Number(row.snapshot));
      expect(snapshot.summary.totalRows).toBeGreaterThanOrEqual(row.rows);
    }
  });

  it('trains the example ML model on seeded samples, registers it pending manual approval, once approved scores every customer, and traces a prediction', () => {
    const section = result.stdout.slice(result.stdout.indexOf('== The example ML model'), result.stdout.indexOf('== Summary'));
    const gates = [...section.matchAll(/^ {4}threshold (.+): \d\.\d+ (passed|FAILED)$/gm)].map((match) => [match[1], match[2]]);
    expect(gates).toEqual([
      ['validation:auc >= 0.8', 'passed'],
      ['validation:logloss <= 0.5', 'passed'],
    ]);
    expect(section).toMatch(/^ {4}registered version 1 of acme-dev-marketing-churn: PendingManualApproval /m);
    // Approved by the command itself, which records who approved it and why.
    expect(section).toContain(`npx lakehouse models approve marketing/churn 1 --reason 'approved in the demo' --lake ${lake}`);
    expect(section).toMatch(/^ {4}marketing\/churn version 1: Approved \(was PendingManualApproval\)$/m);
    expect(section).toMatch(/^ {6}description +Approved by \S+: approved in the demo$/m);
    expect(section).toMatch(/^ {6}promotion +Promoted$/m);
    const predicted = Number(/^ {6}predictions +(\d+) into acme_dev_marketing\.churn_predictions$/m.exec(section)?.[1]);
    const published = new LocalLake(lake);
    expect(published.currentSnapshot('acme_dev_marketing', 'customer_churn_features').summary.totalRows).toBe(predicted);
    expect(published.currentSnapshot('acme_dev_marketing', 'churn_predictions').summary.totalRows).toBe(predicted);
    expect(section).toMatch(/^ {4}5 rows$/m);
    // One prediction traced back: the version that scored it, its run, its training set.
    expect(section).toMatch(/^ {4}version +1 \(Approved\) arn:aws:sagemaker:\S+\/acme-dev-marketing-churn\/1$/m);
    expect(section).toMatch(/^ {4}training set +s3:\/\/\S+\/training-set\/$/m);
  });

  it('leaves the alerts and events of every run in the workspace, and says what to try next', () => {
    expect(lines('alerts.log')).toHaveLength(5);
    const events = lines('events.log').map((line) => JSON.parse(line) as { source: string; detailType: string; detail: { dataset?: string } });
    // A DatasetLoaded per load, and one per model the build machine published, as in the cloud.
    const announced = events.filter((event) => event.source === LAKEHOUSE_EVENT_SOURCE).map((event) => event.detail.dataset!);
    const models = ['marketing/campaign_summary', 'marketing/customer_churn_features', 'marketing/web_events_by_customer_country', 'sales/daily_revenue'];
    // The churn feature model twice: built with the others, then rebuilt on the generated samples.
    expect(announced.filter((dataset) => models.includes(dataset)).sort()).toEqual([...models, 'marketing/customer_churn_features'].sort());
    // Seven loads of shipped samples, three of generated ones.
    expect(announced.filter((dataset) => !models.includes(dataset))).toHaveLength(10);
    // The churn version's state changes, as SageMaker sends them: registered, then approved.
    expect(events.filter((event) => event.source === SAGEMAKER_EVENT_SOURCE).map((event) => event.detailType)).toEqual([MODEL_PACKAGE_STATE_CHANGE, MODEL_PACKAGE_STATE_CHANGE]);
    expect(result.stdout).toContain(`npx lakehouse query 'SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY status' --lake ${lake}`);
  });

  it("ends with the docs site generated into the workspace from the runs' reports, and prints its index", () => {
    const section = result.stdout.slice(result.stdout.indexOf('== The docs site'));
    expect(section).toMatch(/^ {2}\d+ pages from \d+ validation reports; open in a browser:$/m);
    expect(section).toContain(`\n  ${lake}/docs/index.html\n`);
    expect(existsSync(join(lake, 'docs', 'index.html'))).toBe(true);
    const orders = readFileSync(join(lake, 'docs', 'datasets', 'sales--orders.html'), 'utf8');
    // One point per report the runs left in the audit bucket (s3rver keeps each object as <key>._S3rver_object).
    const auditBucket = readdirSync(join(lake, 's3')).find((bucket) => bucket.includes('-audit-'))!;
    const reports = readdirSync(join(lake, 's3', auditBucket, 'reports', 'sales', 'orders'), { recursive: true }).filter((file) => String(file).endsWith('.json._S3rver_object'));
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(/id="validation-history">(.*?)<\/script>/s.exec(orders)![1]!).runs).toHaveLength(reports.length);
  });
});
