/** Small hand-built catalogs and settings for the CDK tests, independent of `contracts/`. */
import type { Catalog, Column, ColumnType, Dataset, Domain, LogicalType } from '../../lib/contracts/model.ts';
import { DEFAULT_ALARM_SETTINGS, DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED, type EnvironmentSettings, type LakehouseSettings } from '../../lib/config/settings.ts';

const LOGICAL_TYPES: Record<ColumnType['kind'], LogicalType> = {
  string: 'string',
  boolean: 'boolean',
  integer: 'integer',
  double: 'number',
  decimal: 'number',
  date: 'date',
  timestamp: 'timestamp',
  time: 'time',
  struct: 'object',
  list: 'array',
};

export function column(name: string, type: ColumnType, description?: string): Column {
  return {
    name,
    nameInFile: name,
    ...(description === undefined ? {} : { description }),
    logicalType: LOGICAL_TYPES[type.kind],
    type,
    typeFrom: 'logicalType',
    required: false,
    unique: false,
    tags: [],
    sensitive: false,
    constraints: {},
    references: [],
    position: { file: 'contracts/test/test.yaml', line: 10, column: 7 },
  };
}

export function dataset(domain: string, name: string, overrides: Partial<Dataset> = {}): Dataset {
  return {
    domain,
    name,
    description: `The ${name} of ${domain}`,
    names: { ref: `${domain}/${name}`, table: name, landingPrefix: `${domain}/${name}/` },
    contract: {
      id: `urn:test:${domain}:${name}`,
      version: '1.0.0',
      majorVersion: 1,
      status: 'active',
      file: `contracts/${domain}/${name}.yaml`,
    },
    columns: [column('id', { kind: 'string' }, 'Identifier')],
    primaryKey: ['id'],
    partitionColumns: [],
    quality: [],
    nestedFields: [],
    notEnforced: [],
    format: 'csv',
    csv: { delimiter: ',', quote: '"', escape: '"', header: true },
    onViolation: 'quarantine-file',
    unknownColumns: 'fail',
    loadMode: 'merge',
    owner: { team: `${domain}-team`, email: `${domain}@example.com` },
    position: { file: `contracts/${domain}/${name}.yaml`, line: 1, column: 1 },
    ...overrides,
  };
}

export function domain(name: string, datasets: readonly Dataset[], overrides: Partial<Domain> = {}): Domain {
  return {
    name,
    file: `contracts/${name}/domain.yaml`,
    owner: { team: `${name}-team`, email: `${name}@example.com` },
    alertEmails: [`${name}-oncall@example.com`],
    consumers: [],
    shares: [],
    maintenanceSchedule: 'cron(0 3 * * ? *)',
    contracts: [],
    datasets,
    ...overrides,
  };
}

export function catalog(...domains: Domain[]): Catalog {
  return { root: 'contracts', domains };
}

/** A dataset with one column of every Glue type the validated table can have. */
export const typedOrders = dataset('sales', 'orders', {
  description: 'Customer orders, one row per order.',
  columns: [
    column('order_id', { kind: 'string' }, 'Order number printed on the confirmation email.'),
    column('quantity', { kind: 'integer', bits: 32 }, 'Items ordered'),
    column('line_count', { kind: 'integer', bits: 16 }),
    column('flags', { kind: 'integer', bits: 8 }),
    column('views', { kind: 'integer', bits: 64 }),
    column('amount', { kind: 'decimal', precision: 12, scale: 2 }, 'Gross amount'),
    column('weight', { kind: 'double' }),
    column('gift', { kind: 'boolean' }),
    column('order_date', { kind: 'date' }),
    column('order_ts', { kind: 'timestamp' }, 'When the order was confirmed (UTC).'),
  ],
  primaryKey: ['order_id'],
});

export const salesDomain = domain('sales', [
  typedOrders,
  dataset('sales', 'customers', { format: 'json', csv: { delimiter: ',', quote: '"', escape: '"', header: true } }),
  dataset('sales', 'order_items', { format: 'parquet' }),
]);

export const marketingDomain = domain('marketing', [
  dataset('marketing', 'campaigns', { csv: { delimiter: ';', quote: "'", escape: '\\', header: false } }),
]);

export function environment(name: string, overrides: Partial<EnvironmentSettings> = {}): EnvironmentSettings {
  return {
    name,
    account: '111111111111',
    region: 'eu-west-1',
    removalPolicy: 'retain',
    modelApproval: 'manual',
    athenaBytesScannedCutoffPerQuery: 10_737_418_240,
    athenaResultsRetentionDays: 30,
    accessLogRetentionDays: 365,
    alarms: DEFAULT_ALARM_SETTINGS,
    athenaUsdPerTerabyteScanned: DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED,
    ...overrides,
  };
}

export function settings(overrides: Partial<LakehouseSettings> = {}): LakehouseSettings {
  return {
    organization: 'acme',
    datasetStacksPerDomain: 4,
    environments: [environment('dev')],
    ...overrides,
  };
}
