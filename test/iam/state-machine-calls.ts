/**
 * The calls a state machine's role must be allowed, derived from its synthesized definition:
 * every Task state's service integration mapped to the IAM actions Step Functions makes for it
 * (`.sync` polls and stops the job too), each Athena statement's calls on the caller's behalf,
 * and the log delivery and X-Ray actions its logging and tracing configuration needs. An ML
 * machine's run-scoped names (job, model, files) are taken as they are in one run (run-values.ts).
 */
import { EXECUTION_LOG_DELIVERY_ACTIONS, EXECUTION_TRACING_ACTIONS } from '../../lib/constructs/execution-logs.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { type AthenaCatalog, athenaOnBehalf } from './athena-on-behalf.ts';
import { type Call, distinctCalls } from './call.ts';
import { formatInRun, runParameter } from './run-values.ts';
import type { SynthesizedApp, SynthesizedResource } from './synthesized-app.ts';

type Parameters = Readonly<Record<string, unknown>>;

interface TaskState {
  readonly name: string;
  readonly resource: string;
  readonly parameters: Parameters;
  /** Inside a Map over a list a Pass state fills: the items, so `X.$: $.field` has its values. */
  readonly items?: readonly Record<string, unknown>[];
}

type Graph = Readonly<Record<string, Record<string, unknown>>>;

/** The `Result` a Pass state of the graph writes at `path`, when it is a list. */
function passResultAt(graph: Graph, path: unknown): Record<string, unknown>[] | undefined {
  const pass = Object.values(graph).find((state) => state['Type'] === 'Pass' && state['ResultPath'] === path && Array.isArray(state['Result']));
  return pass?.['Result'] as Record<string, unknown>[] | undefined;
}

function taskStates(graph: Graph, items?: readonly Record<string, unknown>[]): TaskState[] {
  return Object.entries(graph).flatMap(([name, state]) => {
    const branches = ((state['Branches'] as { States: Graph }[] | undefined) ?? []).flatMap((branch) => taskStates(branch.States, items));
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States: Graph } | undefined;
    const mapped = processor === undefined ? [] : taskStates(processor.States, passResultAt(graph, state['ItemsPath']));
    const own: TaskState[] =
      state['Type'] === 'Task'
        ? [{ name, resource: state['Resource'] as string, parameters: (state['Parameters'] ?? {}) as Parameters, ...(items === undefined ? {} : { items }) }]
        : [];
    return [...own, ...branches, ...mapped];
  });
}

/** The statements of an Athena Task: its literal or formatted query (in a run), or each Map item's field it names. */
function queryStrings(graph: Graph, state: TaskState): string[] {
  const query = required(state.parameters, 'QueryString', state);
  const field = /^\$\.(\w+)$/.exec(query)?.[1];
  // A parameterized statement is a `States.Format` template: its tables are in the text, its
  // locations in the arguments a run determines (the others, such as a snapshot id, left as paths).
  const formatted = formatInRun(graph, query, 'keep');
  if (formatted !== undefined) return [formatted];
  if (field === undefined) return [query];
  if (state.items === undefined) throw new Error(`Task ${state.name}: its query ${field} comes from an input this evaluation cannot see`);
  return state.items.map((item) => item[field]).filter((value): value is string => typeof value === 'string');
}

/** A literal parameter, or the text of a `.$` one (a `States.Format` template still names its tables). */
function parameter(parameters: Parameters, name: string): string | undefined {
  const value = parameters[name] ?? parameters[`${name}.$`];
  return typeof value === 'string' ? value : undefined;
}

function required(parameters: Parameters, name: string, state: TaskState): string {
  const value = parameter(parameters, name);
  if (value === undefined) throw new Error(`Task ${state.name}: no ${name} in ${JSON.stringify(parameters)}`);
  return value;
}

/** The literal partition key value of a lock item, the `dynamodb:LeadingKeys` of the call. */
function leadingKey(parameters: Parameters, state: TaskState): string {
  const item = (parameters['Key'] ?? parameters['Item']) as Record<string, Record<string, string>> | undefined;
  const first = item === undefined ? undefined : Object.values(item)[0];
  if (first?.['S'] === undefined) throw new Error(`Task ${state.name}: its key has no literal partition key: ${JSON.stringify(item)}`);
  return first['S'];
}

/**
 * A `.sync` SageMaker job: Step Functions creates it, follows it with the managed EventBridge rule
 * of its kind, describes and stops it, and passes the role it names (the Step Functions
 * developer guide's IAM policies for SageMaker).
 */
function sageMakerJobCalls(
  arnOf: (service: string, resource: string) => string,
  kind: 'Training' | 'Transform',
  name: string,
  why: string,
): Call[] {
  const job = arnOf('sagemaker', `${kind.toLowerCase()}-job/${name}`);
  return [
    ...['Create', 'Describe', 'Stop'].map((verb) => ({ action: `sagemaker:${verb}${kind}Job`, resource: job, why })),
    ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({
      action,
      resource: arnOf('events', `rule/StepFunctionsGetEventsForSageMaker${kind}JobsRule`),
      why: `${why}: .sync follows the job`,
    })),
  ];
}

function passRole(role: string, why: string): Call {
  return { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, why };
}

/** The Model Package Group whose approvals start `machineArn` (its EventBridge rule's pattern). */
function triggeringGroups(app: SynthesizedApp, machineArn: string): string[] {
  return app.resources
    .filter((resource) => resource.type === 'AWS::Events::Rule')
    .map((rule) => rule.resolve(rule.raw.Properties) as { EventPattern?: { detail?: { ModelPackageGroupName?: string[] } }; Targets?: { Arn: string }[] })
    .filter((rule) => (rule.Targets ?? []).some((target) => target.Arn === machineArn))
    .flatMap((rule) => rule.EventPattern?.detail?.ModelPackageGroupName ?? []);
}

export function stateMachineCalls(
  app: SynthesizedApp,
  catalog: AthenaCatalog,
  machine: SynthesizedStateMachine,
  resource: SynthesizedResource,
): Call[] {
  const { partition, region, account } = catalog;
  const topicKeys = new Map(
    app.resources
      .filter((candidate) => candidate.type === 'AWS::SNS::Topic')
      .map((topic) => [topic.resolve({ Ref: topic.logicalId }) as string, topic.resolve(topic.raw.Properties?.['KmsMasterKeyId']) as string | null]),
  );
  const workgroupOf = (name: string, state: TaskState) => {
    const workgroup = catalog.workgroups.get(name);
    if (workgroup === undefined) throw new Error(`Task ${state.name}: workgroup ${name} is not in this app`);
    return workgroup;
  };
  const graph = machine.definition.States as unknown as Graph;
  const states = taskStates(graph);
  const arnOf = (service: string, name: string): string => `arn:${partition}:${service}:${region}:${account}:${name}`;
  const bucketKey = (bucket: string, why: string): string => {
    const key = catalog.bucketKeys.get(bucket);
    if (key === undefined) throw new Error(`${why}: bucket ${bucket} is not an encrypted bucket of this app`);
    return key;
  };
  const usedWorkgroups = new Set(
    states.filter((state) => state.resource.includes(':athena:startQueryExecution')).map((state) => required(state.parameters, 'WorkGroup', state)),
  );

  const calls = states.flatMap((state): Call[] => {
    const { parameters } = state;
    const why = `Task ${state.name}`;
    const integration = state.resource.replace(/^arn:[^:]+:states:::/, '');
    if (integration === 'lambda:invoke') {
      return [{ action: 'lambda:InvokeFunction', resource: required(parameters, 'FunctionName', state), why }];
    }
    if (integration.startsWith('athena:startQueryExecution')) {
      const workgroup = workgroupOf(required(parameters, 'WorkGroup', state), state);
      const polled = integration.endsWith('.sync') ? ['athena:GetQueryExecution', 'athena:StopQueryExecution'] : [];
      const output = (parameters['ResultConfiguration'] as { OutputLocation?: string } | undefined)?.OutputLocation;
      return [
        ...['athena:StartQueryExecution', ...polled].map((action) => ({ action, resource: workgroup.arn, why })),
        ...queryStrings(graph, state).flatMap((sql) =>
          athenaOnBehalf(catalog, sql, workgroup, output).calls.map((call) => ({ ...call, why: `${why}: ${call.why}` })),
        ),
      ];
    }
    if (integration === 'athena:getQueryResults') {
      return [...usedWorkgroups].map((name) => ({ action: 'athena:GetQueryResults', resource: workgroupOf(name, state).arn, why }));
    }
    const dynamo = /^dynamodb:(getItem|putItem|deleteItem|updateItem)$/.exec(integration);
    if (dynamo !== null) {
      const operation = dynamo[1]!;
      return [
        {
          action: `dynamodb:${operation[0]!.toUpperCase()}${operation.slice(1)}`,
          resource: `arn:${partition}:dynamodb:${region}:${account}:table/${required(parameters, 'TableName', state)}`,
          context: { 'dynamodb:LeadingKeys': [leadingKey(parameters, state)] },
          why,
        },
      ];
    }
    if (integration === 'sns:publish') {
      const topic = required(parameters, 'TopicArn', state);
      const key = topicKeys.get(topic);
      if (key === undefined) throw new Error(`${why}: topic ${topic} is not in this app`);
      return [
        { action: 'sns:Publish', resource: topic, why },
        ...(key === null
          ? []
          : ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: key, why: `${why}: SNS encrypts with the publisher's permission` }))),
      ];
    }
    if (integration === 'events:putEvents') {
      const entries = parameters['Entries'] as Record<string, string>[];
      const bus = entries.map((entry) => entry['EventBusName'] ?? 'default');
      return [...new Set(bus)].map((name) => ({
        action: 'events:PutEvents',
        resource: name.startsWith('arn:') ? name : `arn:${partition}:events:${region}:${account}:event-bus/${name}`,
        // One PutEvents call carries every entry: the keys are multi-valued.
        context: { 'events:source': entries.map((entry) => entry['Source']!), 'events:detail-type': entries.map((entry) => entry['DetailType']!) },
        why,
      }));
    }
    if (integration === 'aws-sdk:sfn:describeExecution') {
      // The lock holder is an execution of this same state machine.
      return [{ action: 'states:DescribeExecution', resource: `arn:${partition}:states:${region}:${account}:execution:${machine.name}:holder`, why }];
    }
    if (integration === 'aws-sdk:cloudwatch:putMetricData') {
      return [{ action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': required(parameters, 'Namespace', state) }, why }];
    }
    const inRun = (name: string): string => runParameter(graph, parameters, name, `${machine.name} ${why}`);
    if (integration === 'aws-sdk:s3:putObject') {
      const bucket = inRun('Bucket');
      return [
        { action: 's3:PutObject', resource: `arn:${partition}:s3:::${bucket}/${inRun('Key')}`, why },
        { action: 'kms:GenerateDataKey', resource: bucketKey(bucket, why), why },
      ];
    }
    if (integration === 'sagemaker:createTrainingJob.sync') {
      return [...sageMakerJobCalls(arnOf, 'Training', inRun('TrainingJobName'), why), passRole(inRun('RoleArn'), why)];
    }
    if (integration === 'sagemaker:createTransformJob.sync') {
      return sageMakerJobCalls(arnOf, 'Transform', inRun('TransformJobName'), why);
    }
    if (integration === 'aws-sdk:sagemaker:createModel') {
      return [{ action: 'sagemaker:CreateModel', resource: arnOf('sagemaker', `model/${inRun('ModelName')}`), why }, passRole(inRun('ExecutionRoleArn'), why)];
    }
    if (integration === 'aws-sdk:sagemaker:describeModelPackage') {
      // The version an approval event names: a package of the group the machine's trigger follows.
      const groups = triggeringGroups(app, arnOf('states', `stateMachine:${machine.name}`));
      if (groups.length === 0) throw new Error(`${machine.name} ${why}: no rule starts it on a Model Package Group's events`);
      return groups.map((group) => ({ action: 'sagemaker:DescribeModelPackage', resource: arnOf('sagemaker', `model-package/${group.toLowerCase()}/1`), why }));
    }
    const ssm = /^aws-sdk:ssm:(getParameter|putParameter)$/.exec(integration);
    if (ssm !== null) {
      const operation = ssm[1]!;
      return [{ action: `ssm:${operation[0]!.toUpperCase()}${operation.slice(1)}`, resource: arnOf('ssm', `parameter${inRun('Name')}`), why }];
    }
    throw new Error(`${machine.name} ${why}: integration ${state.resource} has no IAM mapping in this evaluation; add it`);
  });

  const properties = resource.raw.Properties ?? {};
  const telemetry: Call[] = [
    ...(properties['LoggingConfiguration'] === undefined ? [] : EXECUTION_LOG_DELIVERY_ACTIONS.map((action) => ({ action, resource: '*', why: 'execution logging' }))),
    ...((properties['TracingConfiguration'] as { Enabled?: boolean } | undefined)?.Enabled === true
      ? EXECUTION_TRACING_ACTIONS.map((action) => ({ action, resource: '*', why: 'X-Ray tracing' }))
      : []),
  ];
  return distinctCalls([...calls, ...telemetry]);
}
