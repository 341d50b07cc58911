import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../lib/contracts/problems.ts';
import { datasetShard } from '../../lib/stacks/dataset-shards.ts';
import type { LakehouseStage } from '../../lib/stacks/lakehouse-stage.ts';
import { buildApp } from './build.ts';
import { catalog, dataset, domain, environment, marketingDomain, salesDomain, settings } from './fixtures.ts';

const threeEnvironments = settings({
  environments: [
    environment('dev'),
    environment('staging', { account: '222222222222' }),
    environment('prod', { account: '333333333333', region: 'eu-central-1' }),
  ],
});

/** Stack name holding each dataset's tables, from the synthesized templates. */
function stackOfEachTable(stage: LakehouseStage): Map<string, string> {
  const placement = new Map<string, string>();
  for (const { datasets } of stage.domains.values()) {
    for (const stack of datasets.values()) {
      const tables = Template.fromStack(stack).findResources('AWS::Glue::Table');
      for (const [logicalId, table] of Object.entries(tables)) {
        placement.set(`${(table['Properties'] as { TableInput: { Name: string } }).TableInput.Name}:${logicalId}`, stack.stackName);
      }
    }
  }
  return placement;
}

describe('lakehouse app', () => {
  it('creates one Stage per environment, in its account and region', () => {
    const { stages } = buildApp(catalog(salesDomain), threeEnvironments);
    expect(stages.map((stage) => [stage.stageName, stage.account, stage.region])).toEqual([
      ['dev', '111111111111', 'eu-west-1'],
      ['staging', '222222222222', 'eu-west-1'],
      ['prod', '333333333333', 'eu-central-1'],
    ]);
    expect(stages.map((stage) => stage.platform.stackName)).toEqual(['dev-Platform', 'staging-Platform', 'prod-Platform']);
  });

  it('gives each domain a stack and dataset stacks only for shards holding datasets', () => {
    const stage = buildApp(catalog(salesDomain, marketingDomain)).stage('dev');
    expect([...stage.domains.keys()]).toEqual(['sales', 'marketing']);
    const sales = stage.domains.get('sales')!;
    expect(sales.domain.stackName).toBe('dev-Sales');
    const expectedShards = [...new Set(salesDomain.datasets.map((d) => datasetShard(d.name, 4)))].sort();
    expect([...sales.datasets.keys()]).toEqual(expectedShards);
    expect([...sales.datasets.values()].map((stack) => stack.stackName)).toEqual(
      expectedShards.map((shard) => `dev-SalesDatasets${shard}`),
    );
    for (const [shard, stack] of sales.datasets) {
      expect([...stack.tables.keys()].sort()).toEqual(
        salesDomain.datasets.filter((d) => datasetShard(d.name, 4) === shard).map((d) => d.name).sort(),
      );
    }
  });

  it('orders deployment platform -> domain -> dataset stacks explicitly', () => {
    const stage = buildApp(catalog(salesDomain)).stage('dev');
    const sales = stage.domains.get('sales')!;
    expect(stage.platform.dependencies).toEqual([]);
    expect(sales.domain.dependencies).toEqual([stage.platform]);
    for (const stack of sales.datasets.values()) expect(stack.dependencies).toEqual([sales.domain]);
  });

  it('gives a domain without datasets its dashboard and no health alarm, which would watch nothing', () => {
    const stage = buildApp(catalog(salesDomain, domain('reporting', []))).stage('dev');
    const alarms = (name: string) => Object.keys(Template.fromStack(stage.domains.get(name)!.monitoring).findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(alarms('reporting')).toEqual([]);
    expect(alarms('sales')).toHaveLength(1);
    Template.fromStack(stage.domains.get('reporting')!.monitoring).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('creates only the platform for an empty catalog', () => {
    const stage = buildApp(catalog()).stage('dev');
    expect(stage.domains.size).toBe(0);
    expect(stage.node.children.map((child) => child.node.id)).toEqual(['Platform']);
  });

  it('gives the platform overview its own stack only when every domain is selected, since deployed with a selection it would drop the other rows', () => {
    const sales = domain('sales', [dataset('sales', 'orders')]);
    expect(buildApp(catalog(sales)).stage('dev').platformMonitoring?.stackName).toBe('dev-PlatformMonitoring');
    const selected = buildApp(catalog(sales), settings({ domains: ['sales'] })).stage('dev');
    expect(selected.platformMonitoring).toBeUndefined();
    expect(selected.node.tryFindChild('PlatformMonitoring')).toBeUndefined();
  });

  it('never moves or renames an existing dataset table when a dataset is added or removed', () => {
    const names = ['orders', 'customers', 'order_items', 'returns', 'invoices', 'refunds', 'shipments'];
    const before = stackOfEachTable(buildApp(catalog(domain('sales', names.map((n) => dataset('sales', n))))).stage('dev'));
    const added = stackOfEachTable(
      buildApp(catalog(domain('sales', [...names, 'payments'].map((n) => dataset('sales', n))))).stage('dev'),
    );
    const removed = stackOfEachTable(
      buildApp(catalog(domain('sales', names.filter((n) => n !== 'returns').map((n) => dataset('sales', n))))).stage('dev'),
    );
    expect(before.size).toBe(names.length * 2);
    for (const [table, stack] of before) {
      expect(added.get(table)).toBe(stack);
      if (!table.startsWith('returns_')) expect(removed.get(table)).toBe(stack);
    }
  });

  it('explains two domains that map to one stack id, as a contract problem', () => {
    const clashing = catalog(domain('web_1', []), domain('web1', []));
    expect(() => buildApp(clashing)).toThrow(ContractError);
    expect(() => buildApp(clashing)).toThrow(
      "contracts/web1/domain.yaml:1:1: domain 'web1' maps to stack id 'Web1', which another domain or the platform already has: rename it",
    );
  });

  it("explains a domain whose stack id would be the platform overview's, as a contract problem", () => {
    expect(() => buildApp(catalog(domain('platform_monitoring', [])))).toThrow(
      "contracts/platform_monitoring/domain.yaml:1:1: domain 'platform_monitoring' maps to stack id 'PlatformMonitoring', which another domain or the platform already has: rename it",
    );
  });

  it('explains two datasets that map to one construct id, as a contract problem', () => {
    const clashing = domain('sales', [dataset('sales', 'a_1'), dataset('sales', 'a1')]);
    expect(() => buildApp(catalog(clashing), settings({ datasetStacksPerDomain: 1 }))).toThrow(ContractError);
    expect(() => buildApp(catalog(clashing), settings({ datasetStacksPerDomain: 1 }))).toThrow(
      "contracts/sales/a1.yaml:1:1: dataset 'sales/a1' and another dataset of the domain both map to construct id 'A1'",
    );
  });
});
