/**
 * The build state machine of one domain, synthesized cheaply for the offline build tests: the real
 * state graph (`buildStateGraph`) in a state machine of a bare stack, read back from the cloud
 * assembly as the runtime reads every machine, without synthesizing a whole app; and one run of it
 * with the build's Athena stand-in.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { buildStateGraph } from '../../../lib/constructs/build-state-graph.ts';
import type { LocalLake } from '../../../lib/local/lake/local-lake.ts';
import { openBuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import { BuildObservations } from '../../../lib/local/runtime/build-observations.ts';
import { buildModelOutcomes, type BuildModelOutcome } from '../../../lib/local/runtime/build-outcomes.ts';
import { buildQueries } from '../../../lib/local/runtime/build-query.ts';
import { LocalAthena } from '../../../lib/local/runtime/local-athena.ts';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import { LOCK_KEY_ATTRIBUTE } from '../../../lib/pipeline/lock-item.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import { runStateMachine, type ExecutionResult } from '../../../lib/local/stepfunctions/run.ts';
import { listStates } from '../../../lib/local/stepfunctions/states.ts';
import type { TaskHandlers } from '../../../lib/local/stepfunctions/task-handlers.ts';
import type { LakeColumn } from '../../../lib/pipeline/lake-write.ts';
import type { BuildPlan } from '../../../lib/transforms/build-plan.ts';
import type { Placement } from '../../../lib/transforms/render.ts';

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

export interface BuildMachineRun {
  readonly execution: ExecutionResult;
  readonly alerts: JsonValue[];
  readonly events: JsonValue[];
  readonly outcomes: BuildModelOutcome[];
}

export interface RunBuildMachineOptions {
  readonly machine: SynthesizedStateMachine;
  readonly plan: BuildPlan;
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  readonly placement: Placement;
  readonly lake: LocalLake;
  readonly input?: JsonValue;
}

/**
 * One build execution as a process runs it: its own confined connection, LocalAthena answering
 * the Athena Tasks with `buildQueries`, and recording handlers for the lock, alerts and events.
 */
export async function runBuildMachine(options: RunBuildMachineOptions): Promise<BuildMachineRun> {
  const { machine, plan, columns, placement, lake } = options;
  const connection = await openBuildConnection(lake);
  try {
    const observations = new BuildObservations();
    const query = buildQueries({ plan, columns, placement, lake, connection: connection.connection, observations });
    const athena = new LocalAthena();
    const alerts: JsonValue[] = [];
    const events: JsonValue[] = [];
    const handlers: Record<string, TaskHandlers[string]> = {};
    for (const state of listStates(machine.definition).filter((candidate) => candidate.type === 'Task')) {
      const resource = state.resource ?? '';
      if (resource.includes('athena:startQueryExecution')) handlers[state.name] = (request) => athena.startQueryExecutionSync(request, query(state.name));
      else if (resource.includes('athena:getQueryResults')) handlers[state.name] = (request) => athena.getQueryResults(request);
      else if (resource.includes(':sns:')) handlers[state.name] = async (request) => void alerts.push(request);
      else if (resource.includes(':events:')) handlers[state.name] = async (request) => void events.push(request);
      else handlers[state.name] = async () => ({});
    }
    const execution = await runStateMachine({ definition: machine.definition, input: options.input ?? {}, handlers, retryPauseMs: 0, stateMachineArn: machine.arn });
    const outcomes = buildModelOutcomes({ plan, visitedStates: execution.visitedStates, observations, lake, placement });
    return { execution, alerts, events, outcomes };
  } finally {
    connection.close();
  }
}
