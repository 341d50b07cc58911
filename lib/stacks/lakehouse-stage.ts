import { Stage, type StageProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { datasetStackId, domainStackId, type EnvironmentIdentity, monitoringStackId, PLATFORM_MONITORING_STACK_ID, PLATFORM_STACK_ID } from '../config/names.ts';
import type { EnvironmentSettings, LakehouseSettings } from '../config/settings.ts';
import { DomainHealthAlarm } from '../constructs/domain-health-alarm.ts';
import type { Catalog, Domain } from '../contracts/model.ts';
import { ContractError } from '../contracts/problems.ts';
import type { MlModel } from '../ml/model.ts';
import type { ModelsAtSynth } from '../transforms/models-at-synth.ts';
import { groupByShard } from './dataset-shards.ts';
import { DatasetStack } from './dataset-stack.ts';
import { DomainStack } from './domain-stack.ts';
import { MonitoringStack } from './monitoring-stack.ts';
import { PlatformMonitoringStack } from './platform-monitoring-stack.ts';
import { PlatformStack } from './platform-stack.ts';

export interface LakehouseStageProps extends StageProps {
  readonly settings: LakehouseSettings;
  readonly environment: EnvironmentSettings;
  readonly catalog: Catalog;
  /** Every domain's models with their inferred columns. @default no builds */
  readonly models?: ModelsAtSynth;
  /** Every domain's ML models, each trained in its domain's stack. @default none */
  readonly mlModels?: readonly MlModel[];
}

export interface DomainStacks {
  readonly domain: DomainStack;
  /** Dataset stacks by shard number; only shards holding datasets exist. */
  readonly datasets: ReadonlyMap<number, DatasetStack>;
  /** The domain's dashboard, which finds the domain's resources by name. */
  readonly monitoring: MonitoringStack;
}

/**
 * One environment (`npx cdk deploy 'dev/*'`): the platform stack, then each domain's stack, then
 * its dataset stacks. Dependencies are explicit because `Fn::ImportValue` does not order stacks for the CDK.
 */
export class LakehouseStage extends Stage {
  readonly platform: PlatformStack;
  readonly domains: ReadonlyMap<string, DomainStacks>;
  /**
   * The overview dashboard `<org>-<env>-platform`, one row per domain; absent when `-c domains=...`
   * selects some domains (deployed then, it would drop the other domains' rows) or there is none.
   */
  readonly platformMonitoring?: PlatformMonitoringStack;

  constructor(scope: Construct, props: LakehouseStageProps) {
    const { environment, settings, catalog, models: _models, mlModels: _mlModels, ...stageProps } = props;
    super(scope, environment.name, {
      ...stageProps,
      env: { account: environment.account, region: environment.region },
    });
    Tags.of(this).add('lakehouse:environment', environment.name);
    const identity: EnvironmentIdentity = {
      organization: settings.organization,
      environment: environment.name,
      account: environment.account,
      region: environment.region,
    };
    this.platform = new PlatformStack(this, PLATFORM_STACK_ID, {
      identity,
      environment,
      description: `Lakehouse platform of ${identity.organization} ${identity.environment}: key, zone buckets, alarm topic`,
    });
    this.domains = new Map(
      catalog.domains.map((domain) => [domain.name, this.addDomain(domain, identity, props)]),
    );
    if (settings.domains === undefined && catalog.domains.length > 0) {
      const overview = new PlatformMonitoringStack(this, PLATFORM_MONITORING_STACK_ID, {
        identity,
        domains: catalog.domains.map((domain) => ({
          domain: domain.name,
          datasets: domain.datasets,
          hasHealthAlarm: this.domains.get(domain.name)!.monitoring.node.children.some((child) => child instanceof DomainHealthAlarm),
        })),
        athenaUsdPerTerabyteScanned: environment.athenaUsdPerTerabyteScanned,
        description: `Lakehouse platform of ${identity.organization} ${identity.environment}: overview dashboard`,
      });
      // After every domain's monitoring stack, so each health alarm it shows exists.
      for (const stacks of this.domains.values()) overview.addStackDependency(stacks.monitoring);
      this.platformMonitoring = overview;
    }
  }

  private addDomain(domain: Domain, identity: EnvironmentIdentity, props: LakehouseStageProps): DomainStacks {
    const { environment } = props;
    const domainStack = new DomainStack(this, this.freeStackId(domainStackId(domain.name), domain), {
      identity,
      environment,
      domain,
      ...(props.models === undefined ? {} : { models: props.models }),
      ...(props.mlModels === undefined ? {} : { mlModels: props.mlModels }),
      description: `Lakehouse domain ${domain.name} in ${identity.environment}: Glue database, Athena workgroup, alerts`,
    });
    domainStack.addStackDependency(this.platform);
    // The owner of the domain's Iceberg tables checks, on an update, whether the stack holding the table rolls back.
    if (domainStack.goldTables.size > 0) domainStack.tableOwner.allowStackStatusOf(domainStack);
    const shards = groupByShard(domain.datasets, props.settings.datasetStacksPerDomain);
    checkShardCapacity(domain, shards, props.settings.datasetStacksPerDomain);
    const datasetStacks = new Map(
      [...shards.entries()].map(([shard, datasets]) => {
        const stack = new DatasetStack(this, this.freeStackId(datasetStackId(domain.name, shard), domain), {
          identity,
          environment,
          domain: domain.name,
          datasets,
          description: `Lakehouse domain ${domain.name} in ${identity.environment}: dataset tables, shard ${shard}`,
        });
        stack.addStackDependency(domainStack);
        domainStack.tableOwner.allowStackStatusOf(stack);
        return [shard, stack] as const;
      }),
    );
    const monitoring = new MonitoringStack(this, this.freeStackId(monitoringStackId(domain.name), domain), {
      identity,
      domain: domain.name,
      datasets: domain.datasets,
      hasBuild: domainStack.build !== undefined,
      testedModels: domainStack.testedModels,
      athenaUsdPerTerabyteScanned: environment.athenaUsdPerTerabyteScanned,
      freshnessGraceSeconds: environment.alarms.freshnessGraceSeconds,
      description: `Lakehouse domain ${domain.name} in ${identity.environment}: dashboard`,
    });
    // Deployed last, so its dashboard never shows a resource that does not exist yet.
    for (const stack of datasetStacks.values()) monitoring.addStackDependency(stack);
    monitoring.addStackDependency(domainStack);
    return { domain: domainStack, datasets: datasetStacks, monitoring };
  }

  /**
   * Two domain names can map to one stack id (`a_1` and `a1` both give `A1`), and a domain's to the
   * platform's (`platform_monitoring`, created after the domains): say so at the domain file.
   */
  private freeStackId(id: string, domain: Domain): string {
    if (this.node.tryFindChild(id) !== undefined || id === PLATFORM_MONITORING_STACK_ID) {
      throw new ContractError([
        {
          file: domain.file,
          line: 1,
          column: 1,
          message: `domain '${domain.name}' maps to stack id '${id}', which another domain or the platform already has: rename it`,
        },
      ]);
    }
    return id;
  }
}

/**
 * Measured on 2026-12-05 (after the pipelines' lineage states were shrunk): the largest shipped
 * dataset, sales/orders, costs 57,697 bytes and 17 resources of its stack's template (its pipeline
 * definition, about 32 KB, is most of it; staging, the longest names), the stack's own resources
 * 2.5 KB. With 25% more per dataset for a wider contract or more rules than any shipped one
 * (72 KB), 13 datasets fill 940 KB of CloudFormation's 1,000,000 bytes (TEMPLATE_BODY_LIMIT_BYTES)
 * and 14 would not fit. The check after synthesis (template-limits.ts) measures the real templates.
 */
export const MAX_DATASETS_PER_STACK = 13;

/** Fails the synth with what to change, instead of a deployment failing half-way. */
function checkShardCapacity(domain: Domain, shards: ReadonlyMap<number, readonly unknown[]>, stacksPerDomain: number): void {
  const crowded = [...shards.entries()].filter(([, datasets]) => datasets.length > MAX_DATASETS_PER_STACK);
  if (crowded.length === 0) return;
  throw new ContractError([
    {
      file: domain.file,
      line: 1,
      column: 1,
      message:
        `domain '${domain.name}' has ${domain.datasets.length} datasets; dataset stack${crowded.length === 1 ? '' : 's'} ` +
        `${crowded.map(([shard, datasets]) => `${shard} (${datasets.length})`).join(', ')} would hold more than ` +
        `${MAX_DATASETS_PER_STACK}, the most that fit CloudFormation's template limit: raise datasetStacksPerDomain ` +
        `in cdk.json (now ${stacksPerDomain}), before the first deployment if you can, since it moves datasets between stacks`,
    },
  ]);
}
