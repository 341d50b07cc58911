/**
 * The build state machine of one domain, synthesized cheaply for the offline build tests: the real
 * state graph (`buildStateGraph`) in a state machine of a bare stack, read back from the cloud
 * assembly as the runtime reads every machine, without synthesizing a whole app; and one run of it
 * on the execution engine.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { buildStateGraph } from '../../../lib/constructs/build-state-graph.ts';
import type { LocalLake } from '../../../lib/local/lake/local-lake.ts';
import { openBuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import { ExecutionEngine } from '../../../lib/local/runtime/execution-engine.ts';
import { ExecutionRegistry } from '../../../lib/local/runtime/execution-registry.ts';
import { LocalLockTable } from '../../../lib/local/runtime/local-lock-table.ts';
import { LocalNotifications } from '../../../lib/local/runtime/local-notifications.ts';
import { runtimePaths } from '../../../lib/local/runtime/runtime-paths.ts';
import { workspaceAt } from '../../../lib/local/workspace.ts';
import { BuildObservations } from '../../../lib/local/runtime/build-observations.ts';
import { buildModelOutcomes, type BuildModelOutcome } from '../../../lib/local/runtime/build-outcomes.ts';
import { buildQueries } from '../../../lib/local/runtime/build-query.ts';
import { LocalAthena } from '../../../lib/local/runtime/local-athena.ts';
import { readCloudAssembly } from '../../../lib/local/stepfunctions/cloud-assembly.ts';
import { synthesizedStateMachines, type SynthesizedStateMachine } from '../../../lib/local/stepfunctions/definitions.ts';
import { LOCK_KEY_ATTRIBUTE } from '../../../lib/pipeline/lock-item.ts';
import type { JsonValue } from '../../../lib/local/stepfunctions/json.ts';
import type { ExecutionResult } from '../../../lib/local/stepfunctions/run.ts';
import type { LakeColumn } from '../../../lib/pipeline/lake-write.ts';
import type { BuildPlan } from '../../../lib/transforms/build-plan.ts';
import type { Placement } from '../../../lib/transforms/render.ts';

export function synthesizeBuildMachine(plan: BuildPlan): SynthesizedStateMachine {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'build-machine-')) });
  const stack = new Stack(app, 'Build', { env: { account: '111111111111', region: 'eu-west-1' } });
  const name = `acme-dev-${plan.domain}-build`;
  const graph = buildStateGraph(stack, {
    plan,
    identity: { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' },
    auditBucketName: 'acme-dev-audit-111111111111-eu-west-1',
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
  /** The SNS alerts the execution published, as the local stand-in logged them (`{topicArn, subject, message}`). */
  readonly alerts: JsonValue[];
  /** The keys of the lock table's items once the execution ended: none, once it released the build lock. */
  readonly heldLocks: readonly string[];
  readonly outcomes: BuildModelOutcome[];
  /** The PutObject requests of the model runs' lineage events, in the order they were made. */
  readonly lineageWrites: JsonValue[];
}

export interface RunBuildMachineOptions {
  readonly machine: SynthesizedStateMachine;
  readonly plan: BuildPlan;
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  readonly placement: Placement;
  readonly lake: LocalLake;
  readonly input?: JsonValue;
}

function loggedLines(file: string): JsonValue[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as JsonValue);
}

function lockKeys(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.json'))
    .map((entry) => decodeURIComponent(basename(entry, '.json')));
}

/**
 * One build execution as a process runs it: on the execution engine, with the shared stand-ins in
 * the lake's folder (the lock table, alerts and events, DescribeExecution from the execution
 * registry), and its Athena Tasks answered by `buildQueries` on its own confined connection, as
 * `BuildService` answers them; the plan is the caller's, not compiled from an environment, so a
 * test can hand the machine a tampered one.
 */
export async function runBuildMachine(options: RunBuildMachineOptions): Promise<BuildMachineRun> {
  const { machine, plan, columns, placement, lake } = options;
  const paths = runtimePaths(workspaceAt(lake.root));
  const alertsBefore = loggedLines(paths.alertsLog).length;
  const athena = new LocalAthena();
  const engine = new ExecutionEngine(
    { athena, locks: new LocalLockTable(paths.locks), notifications: new LocalNotifications(paths), executions: new ExecutionRegistry(paths.executions) },
    { retryPauseMs: 0, waitPauseMs: 0 },
  );
  const connection = await openBuildConnection(lake);
  try {
    const observations = new BuildObservations();
    const query = buildQueries({ plan, columns, placement, lake, connection: connection.connection, observations });
    const lineageWrites: JsonValue[] = [];
    const { result: execution } = await engine.execute({
      machine,
      input: options.input ?? {},
      integrations: {
        'athena:startQueryExecution.sync': (state) => (request) => athena.startQueryExecutionSync(request, query(state.name)),
        's3:putObject': () => async (request) => {
          lineageWrites.push(request);
          return { ETag: `"${lineageWrites.length}"` };
        },
      },
    });
    const outcomes = buildModelOutcomes({ plan, visitedStates: execution.visitedStates, observations, lake, placement });
    return { execution, alerts: loggedLines(paths.alertsLog).slice(alertsBefore), heldLocks: lockKeys(paths.locks), outcomes, lineageWrites };
  } finally {
    connection.close();
  }
}
