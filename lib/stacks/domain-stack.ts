import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type { Construct } from 'constructs';
import {
  athenaResultsPrefix,
  athenaWorkgroupName,
  domainAlertTopicName,
  domainStateMachineLogGroupPrefix,
  type EnvironmentIdentity,
  glueDatabaseName,
  s3Uri,
  silverDomainPrefix,
} from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { Domain } from '../contracts/model.ts';
import { AlertTopic } from '../constructs/alert-topic.ts';
import { DomainBuild } from '../constructs/domain-build.ts';
import { DomainMaintenance } from '../constructs/domain-maintenance.ts';
import { DomainRouter } from '../constructs/domain-router.ts';
import { AthenaDdlProvider } from '../constructs/iceberg-table.ts';
import { PipelineLogKey } from '../constructs/pipeline-log-key.ts';
import { domainSilverTables } from '../pipeline/maintenance-steps.ts';
import { buildPlan } from '../transforms/build-plan.ts';
import type { ModelsAtSynth } from '../transforms/models-at-synth.ts';
import { PlatformImport } from './platform-exports.ts';
import { environmentRemovalPolicy } from './removal-policy.ts';

export interface DomainStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly environment: EnvironmentSettings;
  readonly domain: Domain;
  /** Every domain's models with their inferred columns; the domain's own get a build. @default no build */
  readonly models?: ModelsAtSynth;
}

/** Athena's current engine; pinned so an AWS default change never alters query behaviour unannounced. */
const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * A domain's shared resources in one environment: its Glue database, its Athena workgroup (so
 * query cost is per domain), its alert topic, the owner of its Iceberg tables (the Athena DDL
 * provider its dataset stacks use), the router of its landed files and its table maintenance.
 * Its datasets' tables and pipelines live in dataset stacks.
 */
export class DomainStack extends Stack {
  readonly database: glue.CfnDatabase;
  readonly workgroup: athena.CfnWorkGroup;
  readonly alerts: AlertTopic;
  readonly platform: PlatformImport;
  readonly tableOwner: AthenaDdlProvider;
  readonly router: DomainRouter;
  /** Encrypts the execution logs of the domain's state machines (its pipelines and maintenance). */
  readonly stateMachineLogKey: PipelineLogKey;
  /** Absent for a domain without datasets: there is nothing to maintain. */
  readonly maintenance?: DomainMaintenance;
  /** Absent for a domain without models. */
  readonly build?: DomainBuild;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const { identity, domain } = props;
    const removalPolicy = environmentRemovalPolicy(this, props.environment);
    Tags.of(this).add('lakehouse:domain', domain.name);
    Tags.of(this).add('lakehouse:owner-team', domain.owner.team);
    this.platform = new PlatformImport(this, 'Platform', identity);
    const databaseName = glueDatabaseName(identity, domain.name);
    const workGroupName = athenaWorkgroupName(identity, domain.name);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: databaseName,
        description: `Tables of the ${domain.name} domain, owned by ${domain.owner.team} (${domain.owner.email})`,
      },
    });
    this.database.applyRemovalPolicy(removalPolicy);

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: workGroupName,
      description: `Queries of the ${domain.name} domain`,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.environment.athenaBytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: s3Uri(this.platform.bucketName('athena-results'), athenaResultsPrefix(domain.name)),
          expectedBucketOwner: this.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.platform.key.keyArn },
        },
      },
    });

    this.alerts = new AlertTopic(this, 'Alerts', {
      topicName: domainAlertTopicName(identity, domain.name),
      encryptionKey: this.platform.key,
      emails: domain.alertEmails,
    });

    const tables = {
      key: this.platform.key,
      athenaResultsBucketName: this.platform.bucketName('athena-results'),
      tablesBucketName: this.platform.bucketName('silver'),
      tablesPrefix: silverDomainPrefix(domain.name),
    };
    this.tableOwner = new AthenaDdlProvider(this, 'TableOwner', {
      identity,
      domain: domain.name,
      databaseName,
      workGroupName,
      ...tables,
      removalPolicy,
    });

    this.router = new DomainRouter(this, 'Router', {
      identity,
      domain: domain.name,
      datasets: domain.datasets,
      landingBucketName: this.platform.bucketName('landing'),
      alertTopic: this.alerts.topic,
      key: this.platform.key,
      removalPolicy,
    });

    this.stateMachineLogKey = new PipelineLogKey(this, 'StateMachineLogKey', {
      logGroupNamePrefix: domainStateMachineLogGroupPrefix(identity, domain.name),
      description: `Execution logs of the ${domain.name} domain's state machines in ${identity.environment}`,
      removalPolicy,
    });

    const maintainedTables = domainSilverTables(identity, domain);
    if (maintainedTables.length > 0) {
      this.maintenance = new DomainMaintenance(this, 'Maintenance', {
        identity,
        domain: domain.name,
        tables: maintainedTables,
        schedule: domain.maintenanceSchedule,
        databaseName,
        workGroupName,
        alertTopic: this.alerts.topic,
        logKey: this.stateMachineLogKey.key,
        ...tables,
        removalPolicy,
      });
    }

    const plan = props.models === undefined ? undefined : buildPlan(props.models.dag, props.models.columns, domain.name, {
      database: (name) => glueDatabaseName(identity, name),
    });
    if (plan !== undefined && plan.layers.length > 0) {
      this.build = new DomainBuild(this, 'Build', {
        identity,
        plan,
        databaseName,
        workGroupName,
        key: this.platform.key,
        logKey: this.stateMachineLogKey.key,
        alertTopic: this.alerts.topic,
        athenaResultsBucketName: this.platform.bucketName('athena-results'),
        silverBucketName: this.platform.bucketName('silver'),
        goldBucketName: this.platform.bucketName('gold'),
        removalPolicy,
      });
    }
  }
}
