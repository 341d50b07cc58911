import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type EnvironmentIdentity, glueDatabaseName, pascalCase } from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { ContractError } from '../contracts/problems.ts';
import { DatasetTables } from '../constructs/dataset-tables.ts';
import { DatasetValidator } from '../constructs/dataset-validator.ts';
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
 * One shard of a domain's datasets: each dataset's tables and validator function. Each
 * dataset's construct ids are derived from its name alone, so its logical ids do not change
 * when other datasets come or go.
 */
export class DatasetStack extends Stack {
  readonly tables: ReadonlyMap<string, DatasetTables>;
  /** By dataset name. */
  readonly validators: ReadonlyMap<string, DatasetValidator>;

  constructor(scope: Construct, id: string, props: DatasetStackProps) {
    super(scope, id, props);
    Tags.of(this).add('lakehouse:domain', props.domain);
    const platform = new PlatformImport(this, 'Platform', props.identity);
    const removalPolicy = environmentRemovalPolicy(this, props.environment);
    const databaseName = glueDatabaseName(props.identity, props.domain);
    const buckets = {
      landing: platform.bucketName('landing'),
      validated: platform.bucketName('validated'),
      quarantine: platform.bucketName('quarantine'),
      audit: platform.bucketName('audit'),
    };
    const tables = new Map<string, DatasetTables>();
    const validators = new Map<string, DatasetValidator>();
    for (const dataset of props.datasets) {
      const id = pascalCase(dataset.name);
      const validatorId = `${id}Validator`;
      const taken = [id, validatorId].find((candidate) => this.node.tryFindChild(candidate) !== undefined);
      if (taken !== undefined) {
        throw new ContractError([
          {
            ...dataset.position,
            message: `dataset '${props.domain}/${dataset.name}' and another dataset of the domain both map to construct id '${taken}': rename one of them`,
          },
        ]);
      }
      tables.set(
        dataset.name,
        new DatasetTables(this, id, {
          dataset,
          databaseName,
          landingBucketName: buckets.landing,
          validatedBucketName: buckets.validated,
          removalPolicy,
        }),
      );
      validators.set(
        dataset.name,
        new DatasetValidator(this, validatorId, {
          dataset,
          identity: props.identity,
          buckets,
          key: platform.key,
          duckDbLayer: platform.duckDbLayer(),
          removalPolicy,
        }),
      );
    }
    this.tables = tables;
    this.validators = validators;
  }
}
