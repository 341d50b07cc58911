import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type EnvironmentIdentity, glueDatabaseName, pascalCase } from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { ContractError } from '../contracts/problems.ts';
import { DatasetTables } from '../constructs/dataset-tables.ts';
import { PlatformImport } from './platform-exports.ts';
import { environmentRemovalPolicy } from './removal-policy.ts';

export interface DatasetStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly environment: EnvironmentSettings;
  readonly domain: string;
  /** The domain's datasets this shard holds (see `dataset-shards.ts`). */
  readonly datasets: readonly Dataset[];
}

/**
 * One shard of a domain's datasets. Each dataset's construct id is derived from its name alone,
 * so its logical ids do not change when other datasets come or go.
 */
export class DatasetStack extends Stack {
  readonly tables: ReadonlyMap<string, DatasetTables>;

  constructor(scope: Construct, id: string, props: DatasetStackProps) {
    super(scope, id, props);
    Tags.of(this).add('lakehouse:domain', props.domain);
    const platform = new PlatformImport(this, 'Platform', props.identity);
    const removalPolicy = environmentRemovalPolicy(this, props.environment);
    const databaseName = glueDatabaseName(props.identity, props.domain);
    const tables = new Map<string, DatasetTables>();
    for (const dataset of props.datasets) {
      const id = pascalCase(dataset.name);
      if (this.node.tryFindChild(id) !== undefined) {
        throw new ContractError([
          {
            ...dataset.position,
            message: `dataset '${props.domain}/${dataset.name}' and another dataset of the domain both map to construct id '${id}': rename one of them`,
          },
        ]);
      }
      tables.set(
        dataset.name,
        new DatasetTables(this, id, {
          dataset,
          databaseName,
          landingBucketName: platform.bucketName('landing'),
          validatedBucketName: platform.bucketName('validated'),
          removalPolicy,
        }),
      );
    }
    this.tables = tables;
  }
}
