import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalog, loadCatalog, loadContractFile } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { ContractError } from '../../lib/contracts/problems.ts';
import { MARKETING_DOMAIN, SALES_DOMAIN, writeTree, yaml } from './helpers/contract-tree.ts';

/** A contract using every setting the loader derives something from. */
const ORDERS = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: urn:sales:orders
  name: Sales orders
  version: 2.1.0
  status: active
  domain: sales
  team:
    name: order-management
    members:
      - username: tom@example.com
        role: data steward
      - username: priya@example.com
        role: Owner
  servers:
    - server: landing
      type: s3
      location: s3://landing/sales/orders/
      format: csv
      customProperties:
        - property: csv
          value: {delimiter: ";", header: false}
  customProperties:
    - property: onViolation
      value: quarantine-rows
    - property: someOtherTool
      value: {anything: goes}
  schema:
    - name: orders
      description: One row per order.
      properties:
        - name: shop_id
          logicalType: integer
          physicalType: smallint
          primaryKey: true
          primaryKeyPosition: 2
        - name: order_id
          logicalType: string
          primaryKey: true
          primaryKeyPosition: 1
          logicalTypeOptions:
            pattern: '^ORD-\d{8}$'
            maxLength: 12
        - name: customer_email
          logicalType: string
          tags: [PII]
          quality:
            - metric: nullValues
              mustBeLessThan: 10
              unit: percent
              severity: warning
        - name: customer_name
          logicalType: string
          classification: confidential
        - name: status
          logicalType: string
          classification: internal
          quality:
            - id: status_known
              metric: invalidValues
              arguments:
                validValues: [placed, shipped]
              mustBe: 0
            - metric: missingValues
              mustBeLessOrEqualTo: 5
            - type: text
              description: Statuses come from the shop system.
        - name: amount
          logicalType: number
          physicalType: DECIMAL(12, 2)
          logicalTypeOptions:
            exclusiveMinimum: 0
        - name: weight
          logicalType: number
        - name: quantity
          logicalType: integer
        - name: order_date
          logicalType: date
          partitioned: true
          partitionKeyPosition: 2
        - name: region
          logicalType: string
          partitioned: true
          partitionKeyPosition: 1
        - name: order_ts
          logicalType: timestamp
        - name: campaign_id
          logicalType: string
          relationships:
            - to: ../marketing/campaigns.yaml#/schema/camp/properties/cid
      quality:
        - metric: rowCount
          mustBeBetween: [1, 1000000]
        - metric: duplicateValues
          arguments:
            properties: [customer_email, order_ts]
          mustBe: 0
        - type: sql
          query: SELECT COUNT(*) FROM {object} WHERE quantity < 0
          mustBe: 0
      customProperties:
        - property: classBalance
          value: {column: status, minPercent: 5}
    - name: order_lines
      properties:
        - name: order_id
          logicalType: string
        - name: line_number
          logicalType: integer
          physicalType: tinyint
      relationships:
        - from: order_lines.order_id
          to: orders.order_id
      customProperties:
        - property: onViolation
          value: quarantine-file
        - property: unknownColumns
          value: ignore
  slaProperties:
    - property: freshness
      value: 36
      unit: h
      element: orders.order_ts
    - property: frequency
      value: 1
      unit: Days
      element: orders
    - property: retention
      value: 2
      unit: y
`;

const CAMPAIGNS = yaml`
  apiVersion: v3.1.0
  kind: DataContract
  id: urn:marketing:campaigns
  version: 1.0.0
  status: draft
  servers:
    - server: landing
      type: s3
      location: s3://landing/marketing/campaigns/
      format: json
      delimiter: new_line
  schema:
    - name: campaigns
      id: camp
      properties:
        - name: campaign_id
          id: cid
          logicalType: string
  slaProperties:
    - property: retention
      value: 8
      unit: years
`;

const SHARING_MARKETING = `${MARKETING_DOMAIN}shares: [campaigns]\nmaintenance:\n  schedule: cron(0 5 * * ? *)\nconsumers:\n  analysts:\n    dev: arn:aws:iam::111111111111:role/analysts\n`;

function comprehensiveTree(): string {
  return writeTree({
    'sales/domain.yaml': SALES_DOMAIN,
    'sales/orders.yaml': ORDERS,
    'marketing/domain.yaml': SHARING_MARKETING,
    'marketing/campaigns.yaml': CAMPAIGNS,
    'marketing/samples/campaigns.csv': 'campaign_id\nC1\n',
    'README.md': 'not a domain',
  });
}

function dataset(datasets: readonly Dataset[], name: string): Dataset {
  const found = datasets.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no dataset ${name}`);
  return found;
}

describe('loadCatalog on a comprehensive contract', () => {
  const catalog = () => loadCatalog(comprehensiveTree());

  it('sorts domains and datasets by name and names tables with the major version from 2 on', () => {
    const { domains } = catalog();
    expect(domains.map((domain) => domain.name)).toEqual(['marketing', 'sales']);
    const sales = domains[1]!;
    expect(sales.datasets.map((entry) => entry.name)).toEqual(['order_lines', 'orders']);
    expect(dataset(sales.datasets, 'orders').names).toEqual({ ref: 'sales/orders', table: 'orders_v2', landingPrefix: 'sales/orders/' });
    expect(dataset(domains[0]!.datasets, 'campaigns').names.table).toBe('campaigns');
    expect(sales.contracts).toEqual([
      expect.objectContaining({ id: 'urn:sales:orders', name: 'Sales orders', version: '2.1.0', majorVersion: 2, status: 'active' }),
    ]);
  });

  it('derives column types: integer bits, decimals, doubles, dates and timestamps', () => {
    const orders = dataset(catalog().domains[1]!.datasets, 'orders');
    const types = Object.fromEntries(orders.columns.map((column) => [column.name, column.type]));
    expect(types).toEqual({
      shop_id: { kind: 'integer', bits: 16 },
      order_id: { kind: 'string' },
      customer_email: { kind: 'string' },
      customer_name: { kind: 'string' },
      status: { kind: 'string' },
      amount: { kind: 'decimal', precision: 12, scale: 2 },
      weight: { kind: 'double' },
      quantity: { kind: 'integer', bits: 64 },
      order_date: { kind: 'date' },
      region: { kind: 'string' },
      order_ts: { kind: 'timestamp' },
      campaign_id: { kind: 'string' },
    });
    expect(dataset(catalog().domains[1]!.datasets, 'order_lines').columns[1]!.type).toEqual({ kind: 'integer', bits: 16 });
  });

  it('orders key and partition columns by position and makes key columns required, leaving uniqueness to the key', () => {
    const orders = dataset(catalog().domains[1]!.datasets, 'orders');
    expect(orders.primaryKey).toEqual(['order_id', 'shop_id']);
    expect(orders.partitionColumns).toEqual(['region', 'order_date']);
    const shop = orders.columns.find((column) => column.name === 'shop_id')!;
    expect(shop).toMatchObject({ required: true, unique: false, primaryKeyPosition: 2 });
    const quantity = orders.columns.find((column) => column.name === 'quantity')!;
    expect(quantity).toMatchObject({ required: false, unique: false });
    expect(quantity.primaryKeyPosition).toBeUndefined();
    expect(orders.quality.some((rule) => rule.column === 'shop_id')).toBe(false);
  });

  it('marks restricted, confidential and pii-tagged columns sensitive, and keeps constraints', () => {
    const orders = dataset(catalog().domains[1]!.datasets, 'orders');
    const sensitive = orders.columns.filter((column) => column.sensitive).map((column) => column.name);
    expect(sensitive).toEqual(['customer_email', 'customer_name']);
    const orderId = orders.columns.find((column) => column.name === 'order_id')!;
    expect(orderId.constraints).toEqual({ pattern: '^ORD-\\d{8}$', maxLength: 12 });
    expect(orders.columns.find((column) => column.name === 'amount')!.constraints).toEqual({ exclusiveMinimum: 0 });
  });

  it('normalizes thresholds, defaults unit and severity, and skips text and custom rules', () => {
    const orders = dataset(catalog().domains[1]!.datasets, 'orders');
    const rules = orders.quality.map(({ position, ...rule }) => rule);
    expect(rules).toEqual([
      { metric: 'rowCount', column: null, threshold: { operator: 'mustBeBetween', value: [1, 1000000], unit: 'rows' }, severity: 'error' },
      {
        metric: 'duplicateValues',
        column: null,
        columns: ['customer_email', 'order_ts'],
        threshold: { operator: 'mustBe', value: 0, unit: 'rows' },
        severity: 'error',
      },
      {
        metric: 'sql',
        column: null,
        query: 'SELECT COUNT(*) FROM {object} WHERE quantity < 0',
        rowsQuery: 'SELECT _row FROM {object} WHERE quantity < 0',
        threshold: { operator: 'mustBe', value: 0, unit: 'rows' },
        severity: 'error',
      },
      {
        metric: 'nullValues',
        column: 'customer_email',
        threshold: { operator: 'mustBeLessThan', value: 10, unit: 'percent' },
        severity: 'warning',
      },
      {
        id: 'status_known',
        metric: 'invalidValues',
        column: 'status',
        validValues: ['placed', 'shipped'],
        threshold: { operator: 'mustBe', value: 0, unit: 'rows' },
        severity: 'error',
      },
      {
        metric: 'missingValues',
        column: 'status',
        missingValues: ['', 'N/A', 'n/a', 'null', 'NULL'],
        threshold: { operator: 'mustBeLessOrEqualTo', value: 5, unit: 'rows' },
        severity: 'error',
      },
    ]);
  });

  it('resolves relationships within the contract and into a shared dataset of another domain', () => {
    const sales = catalog().domains[1]!;
    const campaign = dataset(sales.datasets, 'orders').columns.find((column) => column.name === 'campaign_id')!;
    expect(campaign.references).toEqual([{ dataset: 'marketing/campaigns', column: 'campaign_id' }]);
    const lineOrder = dataset(sales.datasets, 'order_lines').columns.find((column) => column.name === 'order_id')!;
    expect(lineOrder.references).toEqual([{ dataset: 'sales/orders', column: 'order_id' }]);
  });

  it('applies contract-level settings as defaults that a schema object overrides', () => {
    const datasets = catalog().domains[1]!.datasets;
    const orders = dataset(datasets, 'orders');
    const lines = dataset(datasets, 'order_lines');
    expect([orders.onViolation, orders.unknownColumns, orders.loadMode]).toEqual(['quarantine-rows', 'fail', 'merge']);
    expect([lines.onViolation, lines.unknownColumns, lines.loadMode]).toEqual(['quarantine-file', 'ignore', 'append']);
    expect(orders.classBalance).toMatchObject({ column: 'status', minPercent: 5, severity: 'error' });
    expect(lines.classBalance).toBeUndefined();
  });

  it('reads format and csv options with defaults for what the contract leaves out', () => {
    const { domains } = catalog();
    const orders = dataset(domains[1]!.datasets, 'orders');
    expect(orders.format).toBe('csv');
    expect(orders.csv).toEqual({ delimiter: ';', quote: '"', escape: '"', header: false });
    const campaigns = dataset(domains[0]!.datasets, 'campaigns');
    expect(campaigns.format).toBe('json');
    expect(campaigns.csv).toEqual({ delimiter: ',', quote: '"', escape: '"', header: true });
  });

  it('converts SLAs to seconds and retention to the smallest covering class, or forever above 7 years', () => {
    const { domains } = catalog();
    const orders = dataset(domains[1]!.datasets, 'orders');
    expect(orders.freshness).toMatchObject({ column: 'order_ts', maxAge: 36 * 3600 });
    expect(orders.frequency).toBe(86_400);
    expect(orders.retentionDays).toBe(1095);
    expect(dataset(domains[1]!.datasets, 'order_lines').retentionDays).toBe(1095);
    expect(dataset(domains[1]!.datasets, 'order_lines').freshness).toBeUndefined();
    expect(dataset(domains[0]!.datasets, 'campaigns').retentionDays).toBeUndefined();
  });

  it("takes the owner from the contract's team (the member with role owner), else from the domain", () => {
    const { domains } = catalog();
    expect(dataset(domains[1]!.datasets, 'orders').owner).toEqual({ team: 'order-management', email: 'priya@example.com' });
    expect(dataset(domains[0]!.datasets, 'campaigns').owner).toEqual({ team: 'marketing-analytics', email: 'marketing-data@example.com' });
  });

  it('builds the domain configuration with its defaults', () => {
    const [marketing, sales] = catalog().domains;
    expect(sales).toMatchObject({
      owner: { team: 'sales-data-engineering', email: 'sales-data@example.com' },
      alertEmails: ['sales-oncall@example.com'],
      consumers: [],
      shares: ['orders'],
      maintenanceSchedule: 'cron(0 3 * * ? *)',
    });
    expect(marketing).toMatchObject({
      consumers: [{ role: 'analysts', principals: { dev: 'arn:aws:iam::111111111111:role/analysts' } }],
      shares: ['campaigns'],
      maintenanceSchedule: 'cron(0 5 * * ? *)',
    });
  });

  it('records where each dataset, column and rule is written', () => {
    const root = comprehensiveTree();
    const orders = dataset(loadCatalog(root).domains[1]!.datasets, 'orders');
    const file = `${root}/sales/orders.yaml`;
    expect(orders.position).toEqual({ file, line: 29, column: 5 });
    expect(orders.columns[0]!.position).toEqual({ file, line: 32, column: 9 });
    expect(orders.quality[0]!.position).toEqual({ file, line: 92, column: 9 });
    expect(orders.freshness!.position).toEqual({ file, line: 120, column: 5 });
    expect(orders.frequencyPosition).toEqual({ file, line: 124, column: 5 });
  });
});

describe('loader entry points', () => {
  it('loads only the domains asked for', () => {
    const catalog = loadCatalog(comprehensiveTree(), { domains: ['marketing'] });
    expect(catalog.domains.map((domain) => domain.name)).toEqual(['marketing']);
  });

  it('keeps paths relative when the root is relative', () => {
    const root = relative(process.cwd(), writeTree({ 'sales/domain.yaml': SALES_DOMAIN, 'sales/orders.yaml': 'id: [' }));
    const { problems, catalog } = checkCatalog(root);
    expect(catalog).toBeUndefined();
    expect(problems[0]!.file).toBe(`${root}/sales/orders.yaml`);
    expect(problems[0]!.file.startsWith('/')).toBe(false);
  });

  it('throws a ContractError carrying every problem', () => {
    const root = writeTree({ 'sales/domain.yaml': 'domain: sales\n', 'sales/orders.yaml': 'id: [' });
    let thrown: unknown;
    try {
      loadCatalog(root);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractError);
    const problems = (thrown as ContractError).problems;
    expect(problems.map((problem) => `${problem.file.slice(root.length + 1)}:${problem.line}:${problem.column}`)).toEqual([
      'sales/domain.yaml:1:1',
      'sales/domain.yaml:1:1',
      'sales/orders.yaml:1:6',
    ]);
    expect((thrown as ContractError).message).toContain("missing required field 'owner'");
  });

  it('reports a missing contracts root as a problem instead of throwing', () => {
    const result = checkCatalog('/nonexistent/contracts-root');
    expect(result.catalog).toBeUndefined();
    expect(result.problems).toEqual([
      { file: '/nonexistent/contracts-root', line: 1, column: 1, message: 'cannot read folder: ENOENT' },
    ]);
  });

  it('loads one contract file with its domain, resolving references into other domains', () => {
    const root = comprehensiveTree();
    const { domain, datasets } = loadContractFile(`${root}/sales/orders.yaml`);
    expect(domain.name).toBe('sales');
    expect(domain.contracts.map((contract) => contract.id)).toEqual(['urn:sales:orders']);
    expect(datasets.map((entry) => entry.name)).toEqual(['order_lines', 'orders']);
    expect(domain.datasets).toEqual(datasets);
  });

  it('throws a ContractError from loadContractFile for a broken contract, with no domain.yaml needed', () => {
    const root = writeTree({ 'sales/orders.yaml': ORDERS.replace('format: csv', 'format: avro') });
    expect(() => loadContractFile(`${root}/sales/orders.yaml`)).toThrowError(ContractError);
    try {
      loadContractFile(`${root}/sales/orders.yaml`);
    } catch (error) {
      const messages = (error as ContractError).problems.map((problem) => problem.message);
      expect(messages).toEqual(["servers[0].format: must be one of csv, json, parquet (got 'avro')"]);
    }
  });

  it('ignores sample data, hidden folders and files that are not YAML', () => {
    const root = writeTree({
      'sales/domain.yaml': SALES_DOMAIN,
      'sales/samples/orders.yaml': 'not: [a contract',
      'sales/notes.md': '# notes',
      '.cache/x.yaml': 'broken: [',
    });
    const { problems, catalog } = checkCatalog(root);
    expect(problems).toEqual([]);
    expect(catalog!.domains.map((domain) => domain.name)).toEqual(['sales']);
    expect(catalog!.domains[0]!.datasets).toEqual([]);
  });
});
