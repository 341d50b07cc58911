/**
 * A small Stage shaped like the real pipeline: the alert topic lives in another stack (so the
 * definition reaches it through `Fn::ImportValue`), and the state machine uses the integrations
 * the pipeline uses, with retries, catches, a Choice, a Map and intrinsic functions.
 */
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export interface FixtureStage {
  readonly app: App;
  readonly stage: Stage;
  readonly pipelineStack: Stack;
  /** Logical id of the function created without a physical name. */
  readonly unnamedFunctionId: string;
}

function timeout(seconds: number): sfn.Timeout {
  return sfn.Timeout.duration(Duration.seconds(seconds));
}

function addPipeline(stack: Stack, alertTopicArn: string): void {
  const validator = new lambda.Function(stack, 'Validator', {
    functionName: 'dev-validator',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  const perFileFunction = new lambda.Function(stack, 'PerFileFunction', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  const workGroup = new athena.CfnWorkGroup(stack, 'WorkGroup', { name: 'dev-wg' });
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'dev-bus' });
  const alertTopic = sns.Topic.fromTopicArn(stack, 'AlertTopic', alertTopicArn);

  const prepare = new sfn.Pass(stack, 'Prepare', {
    parameters: {
      token: sfn.JsonPath.uuid(),
      message: sfn.JsonPath.format('\\{"file": "{}"\\}', sfn.JsonPath.stringAt('$.file')),
      execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
    },
    resultPath: '$.prepared',
  });
  const validate = new tasks.LambdaInvoke(stack, 'Validate', {
    lambdaFunction: validator,
    retryOnServiceExceptions: false,
    taskTimeout: timeout(30),
    resultPath: '$.validation',
  });
  validate.addRetry({
    errors: ['Lambda.ServiceException'],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  const load = new tasks.AthenaStartQueryExecution(stack, 'Load', {
    queryString: 'MERGE INTO silver.orders t USING validated.orders s ON t.id = s.id WHEN NOT MATCHED THEN INSERT *',
    workGroup: workGroup.ref,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    taskTimeout: timeout(300),
    resultPath: '$.load',
  });
  load.addRetry({ errors: ['Athena.TooManyRequestsException'], interval: Duration.seconds(1), maxAttempts: 2 });
  const results = new tasks.AthenaGetQueryResults(stack, 'Results', {
    queryExecutionId: sfn.JsonPath.stringAt('$.load.QueryExecution.QueryExecutionId'),
    taskTimeout: timeout(60),
    resultPath: '$.results',
  });
  const eachFile = new sfn.Map(stack, 'EachFile', { itemsPath: '$.files', resultPath: '$.perFile' });
  eachFile.itemProcessor(
    new tasks.LambdaInvoke(stack, 'PerFile', {
      lambdaFunction: perFileFunction,
      retryOnServiceExceptions: false,
      taskTimeout: timeout(30),
      payloadResponseOnly: true,
    }),
  );
  const announce = new tasks.EventBridgePutEvents(stack, 'Announce', {
    entries: [
      {
        detail: sfn.TaskInput.fromObject({ file: sfn.JsonPath.stringAt('$.file') }),
        detailType: 'DatasetLoaded',
        source: 'lakehouse',
        eventBus: bus,
      },
    ],
    taskTimeout: timeout(30),
    resultPath: sfn.JsonPath.DISCARD,
  });
  const alert = new tasks.SnsPublish(stack, 'Alert', {
    topic: alertTopic,
    message: sfn.TaskInput.fromJsonPathAt('$'),
    taskTimeout: timeout(30),
    resultPath: '$.alert',
  });
  alert.next(new sfn.Fail(stack, 'Failed', { error: 'PipelineFailed', cause: 'see the alert' }));
  validate.addCatch(alert, { resultPath: '$.error' });
  load.addCatch(alert, { resultPath: '$.error' });

  const loaded = load.next(results).next(eachFile).next(announce).next(new sfn.Succeed(stack, 'Done'));
  const passed = new sfn.Choice(stack, 'Passed?')
    .when(sfn.Condition.booleanEquals('$.validation.Payload.passed', true), loaded)
    .otherwise(alert);
  new sfn.StateMachine(stack, 'Machine', {
    stateMachineName: 'dev-pipeline',
    definitionBody: sfn.DefinitionBody.fromChainable(prepare.next(validate).next(passed)),
  });
}

/** A Task whose 1-second `TimeoutSeconds` is caught into a Pass state. */
function addSlowMachine(stack: Stack): void {
  const slow = new lambda.Function(stack, 'SlowFunction', {
    functionName: 'dev-slow',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  const call = new tasks.LambdaInvoke(stack, 'CallSlow', {
    lambdaFunction: slow,
    retryOnServiceExceptions: false,
    taskTimeout: timeout(1),
  });
  call.addCatch(new sfn.Pass(stack, 'GaveUp'), { errors: ['States.Timeout'], resultPath: '$.timeout' });
  new sfn.StateMachine(stack, 'SlowMachine', {
    stateMachineName: 'dev-slow',
    definitionBody: sfn.DefinitionBody.fromChainable(call),
  });

  const hang = new tasks.LambdaInvoke(stack, 'Hang', {
    lambdaFunction: slow,
    retryOnServiceExceptions: false,
    taskTimeout: timeout(30),
  });
  new sfn.StateMachine(stack, 'BoundedMachine', {
    stateMachineName: 'dev-bounded',
    timeout: Duration.seconds(1),
    definitionBody: sfn.DefinitionBody.fromChainable(hang),
  });
}

export function fixtureStage(): FixtureStage {
  const app = new App();
  const stage = new Stage(app, 'Dev', { env: { account: ACCOUNT, region: REGION } });
  const shared = new Stack(stage, 'Shared');
  const topic = new sns.Topic(shared, 'Alerts', { topicName: 'dev-alerts' });
  const pipelineStack = new Stack(stage, 'Pipeline');
  addPipeline(pipelineStack, topic.topicArn);
  addSlowMachine(pipelineStack);
  const perFile = pipelineStack.node.findChild('PerFileFunction').node.defaultChild as lambda.CfnFunction;
  return { app, stage, pipelineStack, unnamedFunctionId: pipelineStack.getLogicalId(perFile) };
}
