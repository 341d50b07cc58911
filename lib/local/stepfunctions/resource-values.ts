/**
 * Local stand-ins for what CloudFormation returns from `Ref` and `Fn::GetAtt` on a resource.
 * Offline nothing is deployed, so a resource's value is derived from its physical name (or
 * `local-<logicalId>` when CloudFormation would generate one) and its stack's account and region,
 * in the shape the real service uses, so handlers that parse an ARN or URL keep working.
 */
import type { AwsEnvironment } from './aws-environment.ts';

/** The environment is asked for only when a value needs it, so names resolve in any stack. */
type LocalValue = (name: string, env: () => AwsEnvironment) => string;

interface ResourceKind {
  /** Property path of the physical name, e.g. `['DatabaseInput', 'Name']`; empty when there is none. */
  readonly nameProperty: readonly string[];
  /** What `Ref` returns, per the CloudFormation resource reference. */
  readonly ref: LocalValue;
  readonly arn: LocalValue;
  /** Attributes other than `...Arn` and `...Name`. */
  readonly attributes?: Readonly<Record<string, LocalValue>>;
}

const byName: LocalValue = (name) => name;

function regional(service: string, resource: (name: string) => string): LocalValue {
  return (name, env) => {
    const { partition, region, account } = env();
    return `arn:${partition}:${service}:${region}:${account}:${resource(name)}`;
  };
}

const queueUrl: LocalValue = (name, env) => {
  const { region, urlSuffix, account } = env();
  return `https://sqs.${region}.${urlSuffix}/${account}/${name}`;
};

function named(nameProperty: string, arn: LocalValue): ResourceKind {
  return { nameProperty: [nameProperty], ref: byName, arn };
}

function arnReferenced(nameProperty: string, arn: LocalValue): ResourceKind {
  return { nameProperty: [nameProperty], ref: arn, arn };
}

const KINDS: Readonly<Record<string, ResourceKind>> = {
  'AWS::Lambda::Function': named('FunctionName', regional('lambda', (n) => `function:${n}`)),
  'AWS::SNS::Topic': arnReferenced('TopicName', regional('sns', (n) => n)),
  'AWS::SQS::Queue': {
    nameProperty: ['QueueName'],
    ref: queueUrl,
    arn: regional('sqs', (n) => n),
    attributes: { QueueUrl: queueUrl },
  },
  'AWS::S3::Bucket': named('BucketName', (name, env) => `arn:${env().partition}:s3:::${name}`),
  'AWS::Athena::WorkGroup': named('Name', regional('athena', (n) => `workgroup/${n}`)),
  'AWS::Events::EventBus': named('Name', regional('events', (n) => `event-bus/${n}`)),
  'AWS::StepFunctions::StateMachine': arnReferenced('StateMachineName', regional('states', (n) => `stateMachine:${n}`)),
  'AWS::IAM::Role': named('RoleName', (name, env) => `arn:${env().partition}:iam::${env().account}:role/${name}`),
  'AWS::KMS::Key': { nameProperty: [], ref: byName, arn: regional('kms', (n) => `key/${n}`), attributes: { KeyId: byName } },
  'AWS::Glue::Database': { nameProperty: ['DatabaseInput', 'Name'], ref: byName, arn: regional('glue', (n) => `database/${n}`) },
  'AWS::Glue::Table': { nameProperty: ['TableInput', 'Name'], ref: byName, arn: regional('glue', (n) => `table/${n}`) },
  'AWS::Logs::LogGroup': named('LogGroupName', regional('logs', (n) => `log-group:${n}:*`)),
  'AWS::DynamoDB::Table': named('TableName', regional('dynamodb', (n) => `table/${n}`)),
  'AWS::SageMaker::ModelPackageGroup': arnReferenced(
    'ModelPackageGroupName',
    regional('sagemaker', (n) => `model-package-group/${n.toLowerCase()}`),
  ),
};

/** Any other type: `Ref` gives its `Name`, its ARN reads `arn:...:<service>:...:<kebab-type>/<name>`. */
function genericKind(resourceType: string): ResourceKind {
  const [, service = '', resource = ''] = resourceType.split('::');
  const kebab = resource.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return named('Name', regional(service.toLowerCase(), (n) => `${kebab}/${n}`));
}

function kindOf(resourceType: string): ResourceKind {
  return KINDS[resourceType] ?? genericKind(resourceType);
}

export function physicalNameProperty(resourceType: string): readonly string[] {
  return kindOf(resourceType).nameProperty;
}

/** The local value of `{ Ref: <resource> }`. */
export function refValue(resourceType: string, name: string, env: () => AwsEnvironment): string {
  return kindOf(resourceType).ref(name, env);
}

/** The local value of `{ Fn::GetAtt: [<resource>, attribute] }`, or undefined when it has none. */
export function attributeValue(
  resourceType: string,
  attribute: string,
  name: string,
  env: () => AwsEnvironment,
): string | undefined {
  const kind = kindOf(resourceType);
  const value =
    kind.attributes?.[attribute] ??
    (attribute.endsWith('Arn') ? kind.arn : attribute.endsWith('Name') ? byName : undefined);
  return value?.(name, env);
}
