import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  athenaDdlServiceTokenParameterName,
  athenaPipelineWorkgroupName,
  domainAlertTopicName,
  type EnvironmentIdentity,
  glueDatabaseName,
  pascalCase,
  pipelineLogGroupPrefix,
  silverTableName,
} from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { ContractError } from '../contracts/problems.ts';
import { DatasetAlarms } from '../constructs/dataset-alarms.ts';
import { DatasetLockTable } from '../constructs/dataset-lock.ts';
import { DatasetPipeline } from '../constructs/dataset-pipeline.ts';
import { DatasetTables } from '../constructs/dataset-tables.ts';
import { DatasetValidator } from '../constructs/dataset-validator.ts';
import { IcebergTable } from '../constructs/iceberg-table.ts';
import { PipelineLogKey } from '../constructs/pipeline-log-key.ts';
import { silverColumns, silverTableDdl } from '../pipeline/silver-table.ts';
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
 * One shard of a domain's datasets: each dataset's tables, Iceberg silver table, validator
 * function and pipeline. Each dataset's construct ids are derived from its name alone, so its logical ids do
 * not change when other datasets come or go.
 */
export class DatasetStack extends Stack {
  readonly tables: ReadonlyMap<string, DatasetTables>;
  /** By dataset name. */
  readonly validators: ReadonlyMap<string, DatasetValidator>;
  /** By dataset name: the Iceberg silver table, owned by the domain's Athena DDL provider. */
  readonly silverTables: ReadonlyMap<string, IcebergTable>;
  /** By dataset name: the state machine validating and loading each landed file. */
  readonly pipelines: ReadonlyMap<string, DatasetPipeline>;
  /** By dataset name: its alarms, notifying the domain's alert topic. */
  readonly alarms: ReadonlyMap<string, DatasetAlarms>;

  constructor(scope: Construct, id: string, props: DatasetStackProps) {
    // Written without indentation: CloudFormation counts a template's bytes against its 1 MB, and
    // indenting a dataset stack's template made it 29% bigger (143,744 bytes against 111,439 for
    // dev/SalesDatasets4 on 2026-12-05): a stack would hold some 22% fewer datasets.
    super(scope, id, { ...props, suppressTemplateIndentation: true });
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
    // Shared by the shard's pipelines: one lock item per dataset, one key for their logs.
    const lockTable = new DatasetLockTable(this, 'PipelineLocks');
    const logKey = new PipelineLogKey(this, 'PipelineLogKey', {
      logGroupNamePrefix: pipelineLogGroupPrefix(props.identity, props.domain),
      description: `Execution logs of the ${props.domain} pipelines in ${props.identity.environment}`,
      removalPolicy,
    });
    const pipelineBuckets = {
      validated: buckets.validated,
      silver: platform.bucketName('silver'),
      audit: buckets.audit,
      athenaResults: platform.bucketName('athena-results'),
    };
    const tables = new Map<string, DatasetTables>();
    const validators = new Map<string, DatasetValidator>();
    const silverTables = new Map<string, IcebergTable>();
    const pipelines = new Map<string, DatasetPipeline>();
    const alarms = new Map<string, DatasetAlarms>();
    // Found by name: the domain stack deploys first, and a name needs no export.
    const alertTopic = sns.Topic.fromTopicArn(
      this,
      'DomainAlerts',
      this.formatArn({ service: 'sns', resource: domainAlertTopicName(props.identity, props.domain) }),
    );
    for (const dataset of props.datasets) {
      const id = pascalCase(dataset.name);
      const validatorId = `${id}Validator`;
      const silverTableId = `${id}SilverTable`;
      const pipelineId = `${id}Pipeline`;
      const alarmsId = `${id}Alarms`;
      const taken = [id, validatorId, silverTableId, pipelineId, alarmsId].find((candidate) => this.node.tryFindChild(candidate) !== undefined);
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
      const silverTable = this.addSilverTable(silverTableId, dataset, props, platform.bucketName('silver'));
      silverTables.set(dataset.name, silverTable);
      const pipeline = new DatasetPipeline(this, pipelineId, {
        dataset,
        identity: props.identity,
        validator: validators.get(dataset.name)!.fn,
        lockTable,
        buckets: pipelineBuckets,
        key: platform.key,
        logKey: logKey.key,
        removalPolicy,
      });
      // The pipeline's MERGE names the table's columns: created or updated before the table, it would fail
      // a file landing meanwhile (first deployment, or a column addition).
      pipeline.stateMachine.node.addDependency(silverTable);
      pipelines.set(dataset.name, pipeline);
      alarms.set(dataset.name, new DatasetAlarms(this, alarmsId, { identity: props.identity, dataset, settings: props.environment.alarms, alertTopic }));
    }
    this.tables = tables;
    this.validators = validators;
    this.silverTables = silverTables;
    this.pipelines = pipelines;
    this.alarms = alarms;
  }

  /**
   * The dataset's Iceberg silver table. The domain stack's Athena DDL provider creates and extends
   * it; its service token comes from SSM, so this stack needs no export of the domain stack.
   */
  private addSilverTable(id: string, dataset: Dataset, props: DatasetStackProps, silverBucket: string): IcebergTable {
    const database = glueDatabaseName(props.identity, props.domain);
    return new IcebergTable(this, id, {
      serviceToken: ssm.StringParameter.valueForStringParameter(this, athenaDdlServiceTokenParameterName(props.identity, props.domain)),
      spec: {
        database,
        table: silverTableName(dataset),
        workGroup: athenaPipelineWorkgroupName(props.identity, props.domain),
        createStatement: silverTableDdl(dataset, { database, silverBucket }),
        columns: silverColumns(dataset),
      },
    });
  }
}
