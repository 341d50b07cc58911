/**
 * The child process the kill test SIGKILLs. It runs deliveries through the real offline runtime
 * (one runtime and workspace per delivery, the synthesized definitions the test passes) and
 * models through the build `lakehouse build` runs (one lake per build), and freezes each right
 * after the work of its target: a pipeline Task's handler has returned but the interpreter has
 * not recorded it; a model's publication has written its files, or committed them. Freezing
 * waits without blocking, so the next target runs; once every target is frozen it says `ready`
 * and waits to be killed. One process thus stands for one kill per state, at the cost of one
 * start. The plan arrives on stdin, so the test can work out the targets while this starts.
 */
import { readFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import type { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { LocalPipelineRuntime } from '../../lib/local/runtime/pipeline-runtime.ts';
import { openEnvironment } from '../../lib/local/runtime/synthesized-environment.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { PIPELINE_STATES } from '../../lib/pipeline/state-names.ts';
import { failedQuery, type TaskWrapper } from './fault-injection.ts';
import { type BuildKillTarget, FINISHED, FROZEN, type KillPlan, type PipelineKillTarget, READY } from './kill-plan.ts';

const never = new Promise<never>(() => undefined);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function freezingTasks(target: PipelineKillTarget, frozen: () => void): TaskWrapper {
  return (state, handler) => async (input) => {
    if (target.failLoad && state === PIPELINE_STATES.load) throw failedQuery('HIVE_BAD_DATA: injected');
    const result = await handler(input);
    if (state !== target.state) return result;
    frozen();
    return never;
  };
}

/** Cuts `lake`'s publication of the target table at the target's phase. */
function freezeLake(lake: LocalLake, target: BuildKillTarget, frozen: () => void): void {
  const stageWrite = lake.stageWrite.bind(lake);
  lake.stageWrite = async (connection, database, table, operation, sql) => {
    const staged = await stageWrite(connection, database, table, operation, sql);
    if (database !== target.database || table !== target.table) return staged;
    if (target.phase === 'staged') {
      frozen();
      return never;
    }
    return {
      ...staged,
      commit: async () => {
        await staged.commit();
        frozen();
        return never;
      },
    };
  };
}

/** Starts `run`, resolving once it froze or ended. */
function untilFrozen(kind: string, index: number, run: (frozen: () => void) => Promise<string>): Promise<void> {
  return new Promise((reached) => {
    const frozen = () => {
      say(`${FROZEN} ${kind} ${index}`);
      reached();
    };
    void run(frozen).then(
      (how) => {
        say(`${FINISHED} ${kind} ${index} ${how}`);
        reached();
      },
      (error: unknown) => {
        say(`${FINISHED} ${kind} ${index} ${String(error).replaceAll('\n', ' ')}`);
        reached();
      },
    );
  });
}

/**
 * Long enough for every target to freeze and the kill to come: a frozen Task would otherwise time
 * out after its `TimeoutSeconds` (the interpreter's own timer) and its execution go on to fail,
 * which is not the fault under test. Timeouts change no state the kill could leave behind.
 */
const FROZEN_TASK_TIMEOUT_SECONDS = 86_400;

interface RawState {
  Type: string;
  TimeoutSeconds?: number;
  Branches?: { States: Record<string, RawState> }[];
  ItemProcessor?: { States: Record<string, RawState> };
  Iterator?: { States: Record<string, RawState> };
}

function withoutTaskTimeouts(states: Record<string, RawState>): void {
  for (const state of Object.values(states)) {
    if (state.Type === 'Task') state.TimeoutSeconds = FROZEN_TASK_TIMEOUT_SECONDS;
    for (const graph of [...(state.Branches ?? []), state.ItemProcessor, state.Iterator]) if (graph !== undefined) withoutTaskTimeouts(graph.States);
  }
}

const plan = JSON.parse(await text(process.stdin)) as KillPlan;
const machines = JSON.parse(readFileSync(plan.machinesFile, 'utf8')) as SynthesizedStateMachine[];
for (const machine of machines) withoutTaskTimeouts(machine.definition.States as unknown as Record<string, RawState>);
// The parent hands over the machines it synthesized, so the child never synthesizes (nor loads aws-cdk-lib).
const environment = {
  ...openEnvironment({
    projectRoot: plan.projectRoot,
    environment: 'dev',
    synthesize: () => {
      throw new Error('kill-child runs the machines its parent synthesized');
    },
  }),
  stateMachines: async () => machines,
};

for (const [index, target] of plan.pipelines.entries()) {
  const runtime = await LocalPipelineRuntime.start({
    projectRoot: plan.projectRoot,
    synthesized: environment,
    workspace: target.workspace,
    retryPauseMs: 0,
    waitPauseMs: 0,
  });
  await untilFrozen('pipeline', index, async (frozen) => {
    const run = await runtime.run(target.dataset, target.file, { ingestTime: new Date(target.ingestTime), wrapTask: freezingTasks(target, frozen) });
    return [run.status, run.error, run.cause].filter((part) => part !== undefined).join(' ').replaceAll('\n', ' ');
  });
}
for (const [index, target] of plan.builds.entries()) {
  const runtime = await LocalPipelineRuntime.start({
    projectRoot: plan.projectRoot,
    synthesized: environment,
    workspace: target.workspace,
    retryPauseMs: 0,
    waitPauseMs: 0,
  });
  await untilFrozen('build', index, async (frozen) => {
    freezeLake(runtime.lake, target, frozen);
    const runs = await runtime.build();
    return runs.flatMap((run) => run.models.map((outcome) => `${outcome.model}:${outcome.status}`)).join(',');
  });
}
say(READY);
await never;
