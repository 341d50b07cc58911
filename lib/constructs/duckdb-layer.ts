import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { EnvironmentIdentity } from '../config/names.ts';
import { duckDbLayerAsset, type DuckDbLayerAssetOptions } from './duckdb-layer-asset.ts';
import { LinkedAssetCode } from './linked-asset-code.ts';
import { RETAINED } from './retained.ts';

/** Runtimes the layer is built for: Node.js 22 and newer, whose N-API the binding uses. */
export const DUCKDB_LAYER_RUNTIMES: readonly lambda.Runtime[] = [lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X];

/**
 * SSM parameter holding the current layer version ARN. Dataset stacks read it at deploy time
 * rather than through a CloudFormation export: a new layer version changes the value, and
 * CloudFormation refuses to change an export another stack imports.
 */
export function duckDbLayerParameterName(identity: EnvironmentIdentity): string {
  return `/${identity.organization}/${identity.environment}/lakehouse/duckdb-layer-version-arn`;
}

export interface DuckDbLayerProps {
  readonly identity: EnvironmentIdentity;
  /** Where the installed DuckDB packages are found and the layer directory is cached. @default this project's `node_modules` */
  readonly asset?: DuckDbLayerAssetOptions;
}

/**
 * DuckDB for every validator function of an environment: one x86_64 layer in the platform
 * stack, published through an SSM parameter.
 */
export class DuckDbLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: DuckDbLayerProps) {
    super(scope, id);
    const asset = duckDbLayerAsset(props.asset);
    const { identity } = props;
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      layerVersionName: `${identity.organization}-${identity.environment}-duckdb`,
      description: `DuckDB ${asset.duckDbVersion} for Node.js (${asset.packages.map((found) => `${found.name}@${found.version}`).join(', ')})`,
      code: new LinkedAssetCode(asset.directory, asset.hash),
      compatibleArchitectures: [lambda.Architecture.X86_64],
      compatibleRuntimes: [...DUCKDB_LAYER_RUNTIMES],
      license: 'MIT',
      // A function keeps its layer version until its stack is deployed again; a rollback of
      // that stack must still find the old version, so versions are never deleted.
      removalPolicy: RETAINED,
    });
    this.parameter = new ssm.StringParameter(this, 'VersionArn', {
      parameterName: duckDbLayerParameterName(identity),
      description: `DuckDB Lambda layer version of ${identity.organization} ${identity.environment}, read by dataset stacks at deploy`,
      stringValue: this.layer.layerVersionArn,
    });
  }
}
