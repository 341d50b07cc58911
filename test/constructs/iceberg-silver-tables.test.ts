import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { silverColumns, silverTableDdl } from '../../lib/pipeline/silver-table.ts';
import { buildApp } from '../stacks/build.ts';
import { catalog, column, dataset, domain, environment, settings } from '../stacks/fixtures.ts';

const orders = dataset('sales', 'orders', {
  columns: [column('order_id', { kind: 'string' }), column('total', { kind: 'decimal', precision: 12, scale: 2 })],
  primaryKey: ['order_id'],
});
const sales = domain('sales', [orders, dataset('sales', 'customers'), dataset('sales', 'order_items')]);
const built = buildApp(catalog(sales), settings({ environments: [environment('dev')] }));
const datasetStacks = [...built.stage('dev').domains.get('sales')!.datasets.values()];

interface CustomResource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

const silverTables = datasetStacks.flatMap((stack) => {
  const template = Template.fromStack(stack);
  return Object.values(template.findResources('Custom::IcebergTable') as Record<string, CustomResource>).map((resource) => ({
    resource,
    parameters: template.toJSON()['Parameters'] as Record<string, { Type: string; Default: string }>,
  }));
});

describe('silver tables in the dataset stacks', () => {
  it('are one Athena DDL custom resource per dataset, retained whatever the environment', () => {
    expect(silverTables.map(({ resource }) => resource.Properties['table']).sort()).toEqual(['customers', 'order_items', 'orders']);
    for (const { resource } of silverTables) {
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it("take the domain provider's service token from SSM, not from an export of the domain stack", () => {
    for (const { resource, parameters } of silverTables) {
      const token = resource.Properties['ServiceToken'] as { Ref: string };
      expect(parameters[token.Ref]).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/acme/dev/sales/athena-ddl-service-token' });
    }
  });

  it("carry the silver table's DDL and columns for the domain's pipeline workgroup", () => {
    const { resource } = silverTables.find(({ resource }) => resource.Properties['table'] === 'orders')!;
    const placement = { database: 'acme_dev_sales', silverBucket: '${Token[silver]}' };
    const createStatement = resource.Properties['createStatement'] as { 'Fn::Join': [string, unknown[]] };
    const rendered = createStatement['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : (part as { 'Fn::ImportValue': string })['Fn::ImportValue'] === 'acme-dev-platform-SilverBucketName' ? placement.silverBucket : '?'))
      .join('');
    expect(rendered).toBe(silverTableDdl(orders, placement));
    expect(resource.Properties).toMatchObject({
      database: 'acme_dev_sales',
      workGroup: 'acme-dev-sales-pipeline',
      columns: silverColumns(orders).map(({ name, type }) => ({ name, type })),
    });
  });
});
