import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RETAINED } from './retained.ts';

export interface PipelineLogKeyProps {
  /** Log groups whose names start with this may use the key, e.g. `pipelineLogGroupPrefix(...)`. */
  readonly logGroupNamePrefix: string;
  /** What the key describes itself as in the console. */
  readonly description: string;
  /**
   * What happens to the key when its stack is deleted; keep it as long as the logs it encrypts.
   * @default RETAINED (kept, except when its first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The key encrypting pipeline execution logs. Not the platform key: CloudWatch Logs needs a key
 * policy statement for its service principal, and on the key of every zone bucket that would let
 * any log group of the account matching the condition use the data key; the platform stack must
 * also stay free of per-domain names. A key of its own, limited to the domain's pipeline log
 * groups, keeps log readers away from the data.
 */
export class PipelineLogKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PipelineLogKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RETAINED,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowPipelineLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${props.logGroupNamePrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
