import { Aws, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FRESHNESS_TARGETS_FILE, freshnessCheckEnvironmentVariables } from '../../lambdas/freshness-check/settings.ts';
import {
  domainFunctionName,
  type EnvironmentIdentity,
  pipelineStateMachineName,
  pipelineStateMachinePrefix,
  platformAlarmName,
  platformAlarmTopicName,
} from '../config/names.ts';
import type { AlarmSettings } from '../config/settings.ts';
import type { Dataset } from '../contracts/model.ts';
import { METRICS_NAMESPACE } from '../ingest/validation-metrics.ts';
import { wildcardFinding } from '../nag/wildcard-finding.ts';
import { ALARM_KINDS, alarmDescription, freshnessCheckErrorsSuffix } from '../pipeline/alarm-kinds.ts';
import { type FreshnessCheckConfig, freshnessTargets } from '../pipeline/freshness-check.ts';
import { HANDLER, handlerCode } from './lambda-code.ts';
import { functionLogGroup } from './function-log-group.ts';

const ENTRY_POINT = 'lambdas/freshness-check/index.ts';

export interface FreshnessCheckProps {
  readonly identity: EnvironmentIdentity;
  readonly domain: string;
  /** The domain's datasets; those whose contract declares a frequency or freshness SLA are checked. */
  readonly datasets: readonly Dataset[];
  /** `freshnessCheckMinutes` sets the schedule; the errors alarm uses the period and evaluation periods. */
  readonly settings: AlarmSettings;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The bundled configuration, built from names alone: the domain stack never imports dataset stacks. */
export function freshnessCheckConfig(identity: EnvironmentIdentity, datasets: readonly Dataset[]): FreshnessCheckConfig {
  return { environment: identity.environment, targets: freshnessTargets(datasets, (dataset) => pipelineStateMachineName(identity, dataset)) };
}

/**
 * A domain's freshness check (issue 12 item 2): every `freshnessCheckMinutes` a function publishes,
 * for each dataset with an SLA, `LastLoadAgeSeconds` since its pipeline's last successful execution
 * (or its creation, if it never succeeded), which each dataset's freshness alarm watches. One per
 * domain, in the domain stack beside the router, so its role reads only its domain's pipelines and
 * deploying one domain never touches another. Its own errors alarm notifies the platform topic:
 * the platform owns the checker, the domain owns its data.
 */
export class FreshnessCheck extends Construct {
  readonly fn: lambda.Function;
  readonly schedule: events.Rule;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FreshnessCheckProps) {
    super(scope, id);
    const { identity, domain, settings } = props;
    const config = freshnessCheckConfig(identity, props.datasets);
    if (config.targets.length === 0) throw new Error(`freshness check of domain '${domain}': no dataset of it declares a frequency or freshness SLA`);
    const functionName = domainFunctionName(identity, domain, 'freshness-check');

    const logGroup = functionLogGroup(this, 'Logs', functionName, props);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Freshness check of the ${domain} domain in ${identity.environment}: reads its pipelines' last successful loads`,
    });
    const pipelines = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${pipelineStateMachinePrefix(identity, domain)}*`;
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadDomainPipelineLoads', actions: ['states:ListExecutions', 'states:DescribeStateMachine'], resources: [pipelines] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishLastLoadAges',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
    );
    logGroup.grantWrite(role);

    this.fn = new lambda.Function(this, 'Function', {
      functionName,
      description: `Publishes LastLoadAgeSeconds of the ${domain} datasets with a freshness SLA`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64,
      handler: HANDLER,
      code: handlerCode(ENTRY_POINT, { [FRESHNESS_TARGETS_FILE]: `${JSON.stringify(config, null, 2)}\n` }),
      memorySize: 256,
      // Two calls per dataset, one after the other, with the SDK's retries on throttling.
      timeout: Duration.minutes(2),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      environment: freshnessCheckEnvironmentVariables({ stateMachineArnPrefix: `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:` }),
      // A failed check is not retried: the next scheduled run measures afresh.
      retryAttempts: 0,
    });

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Measures the ${domain} datasets' time since their last load every ${settings.freshnessCheckMinutes} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(settings.freshnessCheckMinutes)),
      targets: [new targets.LambdaFunction(this.fn, { retryAttempts: 0 })],
    });

    const kind = ALARM_KINDS.freshnessCheckErrors;
    const platformTopic = sns.Topic.fromTopicArn(this, 'PlatformAlarms', Stack.of(this).formatArn({ service: 'sns', resource: platformAlarmTopicName(identity) }));
    const suffix = freshnessCheckErrorsSuffix(domain);
    this.errorsAlarm = new cloudwatch.Alarm(this, 'Errors', {
      alarmName: platformAlarmName(identity, suffix),
      alarmDescription: alarmDescription(kind, { name: domain }, suffix),
      metric: this.fn.metricErrors({ period: Duration.minutes(settings.freshnessCheckMinutes), statistic: 'Sum' }),
      threshold: settings.freshnessCheckErrors,
      evaluationPeriods: settings.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // A period without a run is the freshness alarms' concern (their data goes missing), not this one's.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm.addAlarmAction(new actions.SnsAction(platformTopic));

    Validations.of(role).acknowledge(
      {
        id: wildcardFinding(this, pipelines),
        reason: `Reads only the ${domain} domain's pipeline state machines, whose names share one prefix, so datasets come and go without a change here.`,
      },
      {
        id: wildcardFinding(this, '*'),
        reason:
          'cloudwatch:PutMetricData (limited to the ContractLakehouse namespace by condition) and X-Ray tracing (xray:PutTraceSegments, ' +
          'xray:PutTelemetryRecords) support no resource-level permissions.',
      },
    );
  }
}
