/**
 * The platform stack's fixed interface to domain stacks: a small set of CloudFormation exports
 * that does not depend on which domains exist, so the platform template never changes when a
 * domain or dataset is added.
 */
import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type EnvironmentIdentity, pascalCase, platformExportName, ZONES, type Zone } from '../config/names.ts';
import { duckDbLayerParameterName } from '../constructs/duckdb-layer.ts';

const KEY_ARN = 'KeyArn';
const ALARM_TOPIC_ARN = 'AlarmTopicArn';

function bucketNameOutput(zone: Zone): string {
  return `${pascalCase(zone)}BucketName`;
}

/** What the platform stack exports; every value is required. */
export interface PlatformExportValues {
  readonly keyArn: string;
  readonly alarmTopicArn: string;
  readonly bucketNames: Readonly<Record<Zone, string>>;
}

/** Adds the platform's exports to `scope` (the platform stack). */
export function exportPlatform(scope: Construct, identity: EnvironmentIdentity, values: PlatformExportValues): void {
  const outputs: [string, string][] = [
    [KEY_ARN, values.keyArn],
    [ALARM_TOPIC_ARN, values.alarmTopicArn],
    ...ZONES.map((zone): [string, string] => [bucketNameOutput(zone), values.bucketNames[zone]]),
  ];
  for (const [output, value] of outputs) {
    new CfnOutput(scope, output, { value, exportName: platformExportName(identity, output) });
  }
}

/** The platform's exports as seen from a domain or dataset stack, through `Fn::ImportValue`. */
export class PlatformImport extends Construct {
  /** The environment's KMS key. */
  readonly key: kms.IKey;
  readonly alarmTopicArn: string;
  private readonly identity: EnvironmentIdentity;

  constructor(scope: Construct, id: string, identity: EnvironmentIdentity) {
    super(scope, id);
    this.identity = identity;
    this.key = kms.Key.fromKeyArn(this, 'Key', Fn.importValue(platformExportName(identity, KEY_ARN)));
    this.alarmTopicArn = Fn.importValue(platformExportName(identity, ALARM_TOPIC_ARN));
  }

  bucketName(zone: Zone): string {
    return Fn.importValue(platformExportName(this.identity, bucketNameOutput(zone)));
  }

  /**
   * The platform's DuckDB layer, its version ARN read from SSM when this stack deploys (not an
   * export: a new layer version would change an export in use, which CloudFormation refuses).
   */
  duckDbLayer(): lambda.ILayerVersion {
    const existing = this.node.tryFindChild('DuckDbLayer') as lambda.ILayerVersion | undefined;
    if (existing !== undefined) return existing;
    const arn = ssm.StringParameter.valueForStringParameter(this, duckDbLayerParameterName(this.identity));
    return lambda.LayerVersion.fromLayerVersionArn(this, 'DuckDbLayer', arn);
  }
}
