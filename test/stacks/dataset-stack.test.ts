import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../lib/contracts/load.ts';
import type { Dataset } from '../../lib/contracts/model.ts';
import { MAX_DATASETS_PER_STACK } from '../../lib/stacks/lakehouse-stage.ts';
import { synthesizedTemplates, TEMPLATE_BODY_LIMIT_BYTES, TEMPLATE_RESOURCE_LIMIT, templateLimitProblems } from '../../lib/stacks/template-limits.ts';
import { buildApp, datasetTemplate, resourcesOf } from './build.ts';
import { catalog, column, dataset, domain, environment, marketingDomain, salesDomain, settings, typedOrders } from './fixtures.ts';

const stage = buildApp().stage('dev');
const importOf = (output: string) => ({ 'Fn::ImportValue': `acme-dev-platform-${output}` });

type TableInput = {
  Name: string;
  Description?: string;
  TableType: string;
  Parameters: Record<string, unknown>;
  PartitionKeys?: { Name: string; Type: string }[];
  StorageDescriptor: {
    Columns: { Name: string; Type: string; Comment?: string }[];
    Location: unknown;
    InputFormat: string;
    SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
  };
};

function table(template: Template, name: string): { input: TableInput; deletionPolicy: string | undefined; databaseName: unknown } {
  const found = Object.values(resourcesOf(template, 'AWS::Glue::Table')).find(
    (resource) => (resource.Properties['TableInput'] as TableInput).Name === name,
  );
  if (found === undefined) throw new Error(`no table ${name}`);
  return {
    input: found.Properties['TableInput'] as TableInput,
    deletionPolicy: found.DeletionPolicy,
    databaseName: found.Properties['DatabaseName'],
  };
}

describe('dataset tables', () => {
  const orders = datasetTemplate(stage, 'sales', 'orders');

  it('declares the raw table over the landing prefix with every column a string, header skipped', () => {
    const raw = table(orders, 'orders_raw');
    expect(raw.databaseName).toBe('acme_dev_sales');
    expect(raw.input.TableType).toBe('EXTERNAL_TABLE');
    expect(raw.input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(
      typedOrders.columns.map((c) => [c.name, 'string']),
    );
    expect(raw.input.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', importOf('LandingBucketName'), '/sales/orders/']],
    });
    expect(raw.input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
      Parameters: { separatorChar: ',', quoteChar: '"' },
    });
    expect(raw.input.Parameters).toEqual({ classification: 'csv', 'skip.header.line.count': '1' });
    expect(raw.input.PartitionKeys).toBeUndefined();
  });

  it("declares the validated table with the contract's Glue types plus file_id and _row", () => {
    const validated = table(orders, 'orders_validated');
    expect(validated.input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual([
      ['order_id', 'string'],
      ['quantity', 'int'],
      ['line_count', 'smallint'],
      ['flags', 'tinyint'],
      ['views', 'bigint'],
      ['amount', 'decimal(12,2)'],
      ['weight', 'double'],
      ['gift', 'boolean'],
      ['order_date', 'date'],
      ['order_ts', 'timestamp'],
      ['file_id', 'string'],
      ['_row', 'bigint'],
    ]);
    expect(validated.input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(validated.input.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', importOf('ValidatedBucketName'), '/sales/orders/']],
    });
  });

  it('partitions the validated table by ingest_date with date projection', () => {
    const validated = table(orders, 'orders_validated');
    expect(validated.input.PartitionKeys?.map((key) => [key.Name, key.Type])).toEqual([['ingest_date', 'date']]);
    expect(validated.input.Parameters).toEqual({
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.ingest_date.type': 'date',
      'projection.ingest_date.format': 'yyyy-MM-dd',
      'projection.ingest_date.range': '2020-01-01,NOW',
      'projection.ingest_date.interval': '1',
      'projection.ingest_date.interval.unit': 'DAYS',
      'storage.location.template': {
        'Fn::Join': ['', ['s3://', importOf('ValidatedBucketName'), '/sales/orders/ingest_date=${ingest_date}/']],
      },
    });
  });

  it('carries contract descriptions as table and column comments', () => {
    for (const name of ['orders_raw', 'orders_validated']) {
      const { input } = table(orders, name);
      expect(input.Description).toBe('Customer orders, one row per order.');
      const comments = Object.fromEntries(input.StorageDescriptor.Columns.map((c) => [c.Name, c.Comment]));
      expect(comments['order_id']).toBe('Order number printed on the confirmation email.');
      expect(comments['amount']).toBe('Gross amount');
      expect(comments['weight']).toBeUndefined();
    }
  });

  it('reads JSON Lines and Parquet landing files with their SerDes', () => {
    const customersRaw = table(datasetTemplate(stage, 'sales', 'customers'), 'customers_raw');
    expect(customersRaw.input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(customersRaw.input.StorageDescriptor.Columns.map((c) => c.Type)).toEqual(['string']);
    const itemsRaw = table(datasetTemplate(stage, 'sales', 'order_items'), 'order_items_raw');
    expect(itemsRaw.input.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
  });

  it("passes a contract's CSV options and reads headerless files from the first line", () => {
    const campaigns = table(datasetTemplate(stage, 'marketing', 'campaigns'), 'campaigns_raw');
    expect(campaigns.input.StorageDescriptor.SerdeInfo.Parameters).toEqual({ separatorChar: ';', quoteChar: "'", escapeChar: '\\' });
    expect(campaigns.input.Parameters).toEqual({ classification: 'csv' });
  });

  it('names the tables of a major version 2 contract with _v2, in their own validated location', () => {
    const ordersV2 = dataset('sales', 'orders', {
      names: { ref: 'sales/orders', table: 'orders_v2', landingPrefix: 'sales/orders/' },
    });
    const v2Stage = buildApp(catalog(domain('sales', [ordersV2]))).stage('dev');
    const template = datasetTemplate(v2Stage, 'sales', 'orders');
    expect(table(template, 'orders_v2_raw').input.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', importOf('LandingBucketName'), '/sales/orders/']],
    });
    expect(table(template, 'orders_v2_validated').input.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', importOf('ValidatedBucketName'), '/sales/orders_v2/']],
    });
  });

  it('retains tables by default and drops them when the environment destroys', () => {
    expect(table(orders, 'orders_raw').deletionPolicy).toBe('RetainExceptOnCreate');
    expect(table(orders, 'orders_validated').deletionPolicy).toBe('RetainExceptOnCreate');
    const destroying = buildApp(catalog(salesDomain), settings({ environments: [environment('dev', { removalPolicy: 'destroy' })] }));
    expect(table(datasetTemplate(destroying.stage('dev'), 'sales', 'orders'), 'orders_raw').deletionPolicy).toBe('Delete');
  });

  it('refuses a contract column that collides with an added column', () => {
    const clashing = dataset('sales', 'orders', { columns: [column('_row', { kind: 'integer', bits: 64 })] });
    expect(() => buildApp(catalog(domain('sales', [clashing])))).toThrow(/column '_row' collides/);
  });

  it('keeps every dataset stack of a 150-dataset domain on 16 stacks below 500 resources and 1 MB, as written', () => {
    const many = Array.from({ length: 150 }, (_, index) => dataset('big', `dataset_${index}`));
    const bigStage = buildApp(catalog(domain('big', many), marketingDomain), settings({ datasetStacksPerDomain: 16 })).stage('dev');
    const templates = synthesizedTemplates([bigStage]).filter((template) => template.stack.startsWith('dev/BigDatasets'));
    expect(templates).toHaveLength(16);
    expect(templateLimitProblems(templates, 16)).toEqual([]);
  });

  it('fits MAX_DATASETS_PER_STACK datasets as large as the largest shipped one (sales/orders) in one stack, as written', () => {
    const shipped = loadCatalog(fileURLToPath(new URL('../../contracts', import.meta.url)));
    const orders = shipped.domains.find((candidate) => candidate.name === 'sales')!.datasets.find((candidate) => candidate.name === 'orders')!;
    const copies = Array.from({ length: MAX_DATASETS_PER_STACK }, (_, index): Dataset => {
      const name = `orders_${index}`;
      return { ...orders, name, names: { ref: `sales/${name}`, table: name, landingPrefix: `sales/${name}/` } };
    });
    const full = buildApp(catalog(domain('sales', copies)), settings({ datasetStacksPerDomain: 1 }));
    const [stack] = synthesizedTemplates(full.stages).filter((template) => template.holdsDatasets);
    expect(stack!.bytes).toBeLessThan(TEMPLATE_BODY_LIMIT_BYTES);
    expect(stack!.resources).toBeLessThan(TEMPLATE_RESOURCE_LIMIT);
  });

  it('refuses a domain whose datasets would crowd a stack past the template limit, saying what to change', () => {
    const many = Array.from({ length: 150 }, (_, index) => dataset('big', `dataset_${index}`));
    expect(() => buildApp(catalog(domain('big', many)), settings({ datasetStacksPerDomain: 2 }))).toThrow(
      new RegExp(`domain 'big' has 150 datasets; dataset stacks .* would hold more than ${MAX_DATASETS_PER_STACK}.*raise datasetStacksPerDomain in cdk\\.json \\(now 2\\)`),
    );
  });
});
