/**
 * The build state machine of one domain, synthesized cheaply for the offline build tests: the real
 * state graph (`buildStateGraph`) in a state machine of a bare stack, read back from the cloud
 * assembly as the runtime reads every machine, without synthesizing a whole app.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { buildStateGraph } from '../../../lib/constructs/build-state-graph.ts';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import { LOCK_KEY_ATTRIBUTE } from '../../../lib/pipeline/lock-item.ts';
import type { BuildPlan } from '../../../lib/transforms/build-plan.ts';

export function synthesizeBuildMachine(plan: BuildPlan): SynthesizedStateMachine {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'build-machine-')) });
  const stack = new Stack(app, 'Build', { env: { account: '111111111111', region: 'eu-west-1' } });
  const name = `acme-dev-${plan.domain}-build`;
  const graph = buildStateGraph(stack, {
    plan,
    workGroupName: `acme-dev-${plan.domain}-pipeline`,
    lockTable: new dynamodb.Table(stack, 'Locks', { partitionKey: { name: LOCK_KEY_ATTRIBUTE, type: dynamodb.AttributeType.STRING } }),
    alertTopic: new sns.Topic(stack, 'Alerts'),
    executionArns: `arn:aws:states:eu-west-1:111111111111:execution:${name}:*`,
    statementTimeout: Duration.minutes(30),
    callTimeout: Duration.minutes(1),
    lockWaitInterval: Duration.seconds(30),
    maxLockWaits: 3,
  });
  new sfn.StateMachine(stack, 'Machine', { stateMachineName: name, definitionBody: sfn.DefinitionBody.fromChainable(graph) });
  return synthesizedStateMachines(readCloudAssembly(app.synth().directory)).find((machine) => machine.name === name)!;
}
