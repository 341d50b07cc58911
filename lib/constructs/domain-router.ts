import { Aws, Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ROUTES_FILE, routerEnvironmentVariables } from '../../lambdas/route-landed-file/settings.ts';
import { domainFunctionName, type EnvironmentIdentity, pipelineStateMachineName, pipelineStateMachinePrefix } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import type { DomainRoutes } from '../ingest/route.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { HANDLER, handlerCode } from './lambda-code.ts';
import { functionLogGroup } from './function-log-group.ts';

const ENTRY_POINT = 'lambdas/route-landed-file/index.ts';

export interface DomainRouterProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's datasets: each gets a route to its pipeline state machine. */
  readonly datasets: readonly Pick<Dataset, 'domain' | 'name' | 'names'>[];
  readonly landingBucketName: string;
  /** The domain's alert topic: told about files no pipeline takes and about a non-empty dead-letter queue. */
  readonly alertTopic: sns.ITopic;
  /** The environment's key: the alert topic and the dead-letter queue are encrypted with it. */
  readonly key: kms.IKey;
  /**
   * Times Lambda retries a failed invocation before the event goes to the dead-letter queue.
   * @default 2
   */
  readonly retryAttempts?: number;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/** How long an undelivered event waits in the dead-letter queue: SQS's maximum, time to fix and redrive. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The routing table bundled with the router, built from names alone: the domain stack never imports dataset stacks. */
export function domainRoutes(identity: EnvironmentIdentity, domain: string, datasets: DomainRouterProps['datasets']): DomainRoutes {
  return {
    domain,
    pipelines: Object.fromEntries(
      [...datasets].sort((a, b) => a.name.localeCompare(b.name)).map((dataset) => [dataset.name, pipelineStateMachineName(identity, dataset)]),
    ),
  };
}

/**
 * A domain's landing events (DESIGN.md "Events"): one EventBridge rule matching every file created
 * under `<domain>/` in the landing bucket, and a small function that starts the file's dataset
 * pipeline, named after the file so a duplicated event starts nothing twice. Events that fail
 * to route after Lambda's retries, or cannot reach the function, land in an encrypted dead-letter queue.
 */
export class DomainRouter extends Construct {
  readonly fn: lambda.Function;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DomainRouterProps) {
    super(scope, id);
    const { identity, domain } = props;
    const functionName = domainFunctionName(identity, domain, 'router');

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'this queue is itself the dead-letter queue of the router function and its EventBridge rule',
    });

    const logGroup = functionLogGroup(this, 'Logs', functionName, props);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Landing router of the ${domain} domain in ${identity.environment}: starts its dataset pipelines`,
    });
    const pipelines = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${pipelineStateMachinePrefix(identity, domain)}*`;
    role.addToPolicy(new iam.PolicyStatement({ sid: 'StartDomainPipelines', actions: ['states:StartExecution'], resources: [pipelines] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'AlertTheDomain', actions: ['sns:Publish'], resources: [props.alertTopic.topicArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'UseZoneKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [props.key.keyArn] }),
    );
    logGroup.grantWrite(role);

    const routes = domainRoutes(identity, domain, props.datasets);
    this.fn = new lambda.Function(this, 'Function', {
      functionName,
      description: `Starts the pipeline of each file landed under ${domain}/`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      handler: HANDLER,
      code: handlerCode(ENTRY_POINT, { [ROUTES_FILE]: `${JSON.stringify(routes, null, 2)}\n` }),
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: routerEnvironmentVariables({
        stateMachineArnPrefix: `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:`,
        alertTopicArn: props.alertTopic.topicArn,
      }),
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.retryAttempts ?? 2,
    });

    this.rule = new events.Rule(this, 'LandedFiles', {
      description: `Files landed under ${domain}/ go to the ${domain} router`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.landingBucketName] }, object: { key: [{ prefix: `${domain}/` }] } },
      },
      targets: [new targets.LambdaFunction(this.fn, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    new cloudwatch.Alarm(this, 'DeadLettersWaiting', {
      alarmDescription: `Landing events of the ${domain} domain could not be routed: inspect and redrive the dead-letter queue`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cloudwatchActions.SnsAction(props.alertTopic));

    Validations.of(role).acknowledge(
      {
        id: wildcardFinding(this, pipelines),
        reason: `Starts only the ${domain} domain's pipeline state machines, whose names share one prefix, so datasets come and go without a change here.`,
      },
      { id: wildcardFinding(this, '*'), reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions.' },
    );
  }
}
