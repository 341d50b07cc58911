/**
 * The calls a Lambda's code makes, recorded while its real handler runs: each SDK client it is
 * given answers from a stub at the start of the middleware stack and records the command, so
 * what is evaluated is what the handler sent (bucket, key, version, tags), not a list typed next
 * to it. Each recorded command is then mapped to the IAM actions AWS authorizes it with.
 */
import type { AthenaCatalog } from './athena-on-behalf.ts';
import { athenaOnBehalf } from './athena-on-behalf.ts';
import type { Call } from './call.ts';

export interface SentCommand {
  /** The SDK client's service, e.g. `S3`. */
  readonly service: string;
  /** e.g. `PutObjectCommand` */
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export type StubAnswer = (command: SentCommand) => Record<string, unknown>;

/** The part of an SDK v3 client this needs: its middleware stack. */
interface WithMiddleware {
  readonly middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

type InitializeMiddleware = (
  next: unknown,
  context: { readonly commandName?: string },
) => (args: { readonly input: unknown }) => Promise<{ output: Record<string, unknown>; response: unknown }>;

/** Makes `client` record every command into `sent` and answer it with `answer` instead of calling AWS. */
export function recording<T extends WithMiddleware>(client: T, service: string, sent: SentCommand[], answer: StubAnswer): T {
  const recordAndAnswer: InitializeMiddleware = (_next, context) => async (args) => {
    const command = { service, command: context.commandName ?? 'unknown', input: args.input as Record<string, unknown> };
    sent.push(command);
    return { output: { $metadata: {}, ...answer(command) }, response: {} };
  };
  client.middlewareStack.add(recordAndAnswer, { step: 'initialize', name: 'recordAndAnswer', priority: 'high' });
  return client;
}

interface SdkCallContext {
  readonly catalog: AthenaCatalog;
  /** The workgroup of the query a later GetQueryExecution polls (its input names only the query id). */
  readonly lastWorkgroup?: string;
  /** KMS key of an SNS topic, by topic ARN (null when the topic is not encrypted). */
  readonly topicKeys: ReadonlyMap<string, string | null>;
}

function keyOf(catalog: AthenaCatalog, bucket: string): string {
  const key = catalog.bucketKeys.get(bucket);
  if (key === undefined) throw new Error(`bucket ${bucket} is not an encrypted bucket of this app`);
  return key;
}

function text(input: Readonly<Record<string, unknown>>, field: string, command: SentCommand): string {
  const value = input[field];
  if (typeof value !== 'string') throw new Error(`${command.command}: no ${field} in ${JSON.stringify(input)}`);
  return value;
}

/** `s3:RequestObjectTag/<key>` of a request: from a `Tagging` header (URL query form) or a `TagSet`. */
function requestTags(tagging: unknown): Record<string, string> {
  const pairs: [string, string][] =
    typeof tagging === 'string'
      ? [...new URLSearchParams(tagging).entries()]
      : (((tagging as { TagSet?: { Key: string; Value: string }[] } | undefined)?.TagSet ?? []).map((tag) => [tag.Key, tag.Value]) as [string, string][]);
  return Object.fromEntries(pairs.map(([key, value]) => [`s3:RequestObjectTag/${key}`, value]));
}

/** A version's ARN, as SageMaker writes it: the group's name in lowercase. */
export function modelPackageArn(catalog: Pick<AthenaCatalog, 'partition' | 'region' | 'account'>, group: string, version: number): string {
  return `arn:${catalog.partition}:sagemaker:${catalog.region}:${catalog.account}:model-package/${group.toLowerCase()}/${version}`;
}

/** The IAM actions AWS checks for one SDK command, per the service authorization reference. */
function callsOfCommand(context: SdkCallContext, sent: SentCommand): Call[] {
  const { catalog } = context;
  const { partition, region, account } = catalog;
  const { input } = sent;
  const why = `${sent.service} ${sent.command.replace(/Command$/, '')}`;
  const object = (bucket: string, key: string): string => `arn:${partition}:s3:::${bucket}/${key}`;
  const versioned = (action: string, version: unknown): string => (typeof version === 'string' ? action.replace(/^s3:(Get|Put)Object/, 's3:$1ObjectVersion') : action);
  switch (`${sent.service}:${sent.command}`) {
    case 'S3:HeadObjectCommand':
    case 'S3:GetObjectCommand': {
      const bucket = text(input, 'Bucket', sent);
      return [
        { action: versioned('s3:GetObject', input['VersionId']), resource: object(bucket, text(input, 'Key', sent)), why },
        { action: 'kms:Decrypt', resource: keyOf(catalog, bucket), why },
      ];
    }
    case 'S3:PutObjectCommand': {
      const bucket = text(input, 'Bucket', sent);
      const target = object(bucket, text(input, 'Key', sent));
      return [
        { action: 's3:PutObject', resource: target, why },
        ...(input['Tagging'] === undefined
          ? []
          : [{ action: 's3:PutObjectTagging', resource: target, context: requestTags(input['Tagging']), why: `${why} with tags` }]),
        { action: 'kms:GenerateDataKey', resource: keyOf(catalog, bucket), why },
      ];
    }
    case 'S3:CopyObjectCommand': {
      const bucket = text(input, 'Bucket', sent);
      const target = object(bucket, text(input, 'Key', sent));
      const source = /^([^/]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(text(input, 'CopySource', sent));
      if (source === null) throw new Error(`${why}: unreadable CopySource ${String(input['CopySource'])}`);
      const [, sourceBucket, sourceKey, sourceVersion] = source as unknown as [string, string, string, string | undefined];
      return [
        { action: versioned('s3:GetObject', sourceVersion), resource: object(sourceBucket, decodeURIComponent(sourceKey)), why: `${why} source` },
        { action: 'kms:Decrypt', resource: keyOf(catalog, sourceBucket), why: `${why} source` },
        { action: 's3:PutObject', resource: target, why },
        ...(input['Tagging'] === undefined
          ? []
          : [{ action: 's3:PutObjectTagging', resource: target, context: requestTags(input['Tagging']), why: `${why} with tags` }]),
        { action: 'kms:GenerateDataKey', resource: keyOf(catalog, bucket), why },
      ];
    }
    case 'S3:GetObjectTaggingCommand':
    case 'S3:PutObjectTaggingCommand': {
      const action = sent.command.startsWith('Get') ? 's3:GetObjectTagging' : 's3:PutObjectTagging';
      const versionedAction = typeof input['VersionId'] === 'string' ? action.replace('ObjectTagging', 'ObjectVersionTagging') : action;
      const tags = sent.command.startsWith('Put') ? { context: requestTags(input['Tagging']) } : {};
      return [{ action: versionedAction, resource: object(text(input, 'Bucket', sent), text(input, 'Key', sent)), ...tags, why }];
    }
    case 'SFN:StartExecutionCommand':
      return [{ action: 'states:StartExecution', resource: text(input, 'stateMachineArn', sent), why }];
    case 'SFN:ListExecutionsCommand':
      return [{ action: 'states:ListExecutions', resource: text(input, 'stateMachineArn', sent), why }];
    case 'SFN:DescribeStateMachineCommand':
      return [{ action: 'states:DescribeStateMachine', resource: text(input, 'stateMachineArn', sent), why }];
    case 'CloudWatch:PutMetricDataCommand':
      return [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': text(input, 'Namespace', sent) }, why }];
    case 'SNS:PublishCommand': {
      const topic = text(input, 'TopicArn', sent);
      const key = context.topicKeys.get(topic);
      if (key === undefined) throw new Error(`${why}: topic ${topic} is not in this app`);
      return [
        { action: 'sns:Publish', resource: topic, why },
        ...(key === null ? [] : ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: key, why: `${why}: encrypted topic` }))),
      ];
    }
    case 'Athena:StartQueryExecutionCommand': {
      const workgroup = catalog.workgroups.get(text(input, 'WorkGroup', sent));
      if (workgroup === undefined) throw new Error(`${why}: workgroup ${String(input['WorkGroup'])} is not in this app`);
      return [
        { action: 'athena:StartQueryExecution', resource: workgroup.arn, why },
        ...athenaOnBehalf(catalog, text(input, 'QueryString', sent), workgroup).calls.map((call) => ({ ...call, why: `${why}: ${call.why}` })),
      ];
    }
    case 'Athena:GetQueryExecutionCommand': {
      const workgroup = context.lastWorkgroup === undefined ? undefined : catalog.workgroups.get(context.lastWorkgroup);
      if (workgroup === undefined) throw new Error(`${why}: no query was started before it`);
      return [{ action: 'athena:GetQueryExecution', resource: workgroup.arn, why }];
    }
    case 'Glue:GetTableCommand': {
      const database = text(input, 'DatabaseName', sent);
      const glue = (resource: string): string => `arn:${partition}:glue:${region}:${account}:${resource}`;
      return [glue('catalog'), glue(`database/${database}`), glue(`table/${database}/${text(input, 'Name', sent)}`)].map((resource) => ({
        action: 'glue:GetTable',
        resource,
        why,
      }));
    }
    case 'SageMaker:CreateModelPackageCommand':
      // Authorized on the version it creates; a group's first registration makes version 1.
      return [{ action: 'sagemaker:CreateModelPackage', resource: modelPackageArn(catalog, text(input, 'ModelPackageGroupName', sent), 1), why }];
    case 'SageMaker:DescribeModelPackageCommand':
      return [{ action: 'sagemaker:DescribeModelPackage', resource: text(input, 'ModelPackageName', sent), why }];
    case 'CloudFormation:DescribeStacksCommand':
      return [{ action: 'cloudformation:DescribeStacks', resource: text(input, 'StackName', sent), why }];
    default:
      throw new Error(`${why}: the handler sends a command this evaluation has no IAM mapping for; add it to sdk-calls.ts`);
  }
}

/** The calls of commands in the order a handler sent them. */
export function callsOfCommands(context: Omit<SdkCallContext, 'lastWorkgroup'>, sent: readonly SentCommand[]): Call[] {
  let lastWorkgroup: string | undefined;
  return sent.flatMap((command) => {
    if (command.command === 'StartQueryExecutionCommand') lastWorkgroup = command.input['WorkGroup'] as string;
    return callsOfCommand({ ...context, ...(lastWorkgroup === undefined ? {} : { lastWorkgroup }) }, command);
  });
}
