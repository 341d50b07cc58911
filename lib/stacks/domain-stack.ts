import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type { Construct } from 'constructs';
import {
  athenaResultsPrefix,
  athenaWorkgroupName,
  domainAlertTopicName,
  type EnvironmentIdentity,
  glueDatabaseName,
  s3Uri,
} from '../config/names.ts';
import type { EnvironmentSettings } from '../config/settings.ts';
import type { DomainConfig } from '../contracts/model.ts';
import { AlertTopic } from '../constructs/alert-topic.ts';
import { PlatformImport } from './platform-exports.ts';
import { environmentRemovalPolicy } from './removal-policy.ts';

export interface DomainStackProps extends StackProps {
  readonly identity: EnvironmentIdentity;
  readonly environment: EnvironmentSettings;
  readonly domain: DomainConfig;
}

/** Athena's current engine; pinned so an AWS default change never alters query behaviour unannounced. */
const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * A domain's shared resources in one environment: its Glue database, its Athena workgroup (so
 * query cost is per domain) and its alert topic. Its datasets' tables live in dataset stacks.
 */
export class DomainStack extends Stack {
  readonly database: glue.CfnDatabase;
  readonly workgroup: athena.CfnWorkGroup;
  readonly alerts: AlertTopic;
  readonly platform: PlatformImport;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    const { identity, domain } = props;
    Tags.of(this).add('lakehouse:domain', domain.name);
    Tags.of(this).add('lakehouse:owner-team', domain.owner.team);
    this.platform = new PlatformImport(this, 'Platform', identity);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: glueDatabaseName(identity, domain.name),
        description: `Tables of the ${domain.name} domain, owned by ${domain.owner.team} (${domain.owner.email})`,
      },
    });
    this.database.applyRemovalPolicy(environmentRemovalPolicy(this, props.environment));

    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: athenaWorkgroupName(identity, domain.name),
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
  }
}
