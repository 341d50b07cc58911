/**
 * `npm run bench:pipeline` (issue 4, item 6): the wall time of `npm run demo` from a clean
 * workspace (median of `--runs`, default 3; target under 30 s on 2 cores), and what the local
 * interpreter costs per execution: the synthesized orders pipeline's happy path run by
 * `runStateMachine` with trivial handlers, against calling the same handlers directly.
 * Then what a small delivery costs once its table is large (issue 8, item 10; `--table-rows`,
 * default 2,000,000; `bench/delivery-cost.ts`). Tables go to stdout, progress to stderr. Every
 * run uses a workspace in a temporary folder, so the repository's `.lake/` is left alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pipelineStateMachineName } from '../lib/config/names.ts';
import { openOfflineEnvironment } from '../lib/cli/offline-environment.ts';
import { renderTable } from '../lib/cli/table.ts';
import type { JsonValue } from '../lib/local/stepfunctions/json.ts';
import { runStateMachine } from '../lib/local/stepfunctions/run.ts';
import { listStates } from '../lib/local/stepfunctions/states.ts';
import type { TaskHandler, TaskHandlers } from '../lib/local/stepfunctions/task-handlers.ts';
import { PIPELINE_STATES as S } from '../lib/pipeline/state-names.ts';
import { DELIVERY_COST_HEADERS, deliveryCost } from './delivery-cost.ts';
import { median } from './median.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const DEMO_TARGET_SECONDS = 30;
const progress = (message: string) => process.stderr.write(`${message}\n`);
const loads = () => loadavg().map((load) => load.toFixed(2)).join(' ');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    executions: { type: 'string', default: '100' },
    'table-rows': { type: 'string', default: '2000000' },
  },
});
const runs = Number(values.runs);
const executions = Number(values.executions);
const tableRows = Number(values['table-rows']);
for (const [name, value] of [['--runs', runs], ['--executions', executions], ['--table-rows', tableRows]] as const) {
  if (!Number.isInteger(value) || value < 1) {
    progress(
      `bench:pipeline: ${name} must be a whole number of at least 1\n` +
        'usage: npm run bench:pipeline -- [--runs <n>] [--executions <n>] [--table-rows <n>]',
    );
    process.exit(2);
  }
}

function demoSeconds(run: number): number {
  const lake = mkdtempSync(join(tmpdir(), 'bench-demo-'));
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/demo.ts', '--lake', lake], { cwd: repo, encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) throw new Error(`the demo failed (exit ${result.status}):\n${result.stderr}`);
    progress(`demo run ${run}/${runs}: ${seconds.toFixed(1)} s`);
    return seconds;
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

/** Responses that take the pipeline down its happy path, in the shapes of the real integrations. */
const HAPPY_PATH: Readonly<Record<string, JsonValue>> = {
  [S.validate]: {
    StatusCode: 200,
    Payload: { passed: true, fileId: 'f0', ingestDate: '2026-11-21', rowCount: 1, rowsPassed: 1, rowsQuarantined: 0, reportKey: 'r', failedRules: [] },
  },
  [S.load]: { QueryExecution: { QueryExecutionId: 'q0', Status: { State: 'SUCCEEDED' } } },
};

async function interpreterCost(): Promise<{ interpreted: number[]; direct: number[]; states: number }> {
  progress('synthesizing the dev environment for its orders pipeline');
  const environment = openOfflineEnvironment({ projectRoot: repo, environment: 'dev' });
  const dataset = environment.catalog.domains.flatMap((domain) => domain.datasets).find((candidate) => candidate.names.ref === 'sales/orders')!;
  const machine = (await environment.stateMachines()).find((candidate) => candidate.name === pipelineStateMachineName(environment.identity, dataset))!;
  const tasks = listStates(machine.definition).filter((state) => state.type === 'Task');
  const handlers: TaskHandlers = Object.fromEntries(
    tasks.map((state): [string, TaskHandler] => [state.name, async () => HAPPY_PATH[state.name] ?? {}]),
  );
  const input = { bucket: 'landing', key: 'sales/orders/orders.csv' };
  const once = () => runStateMachine({ definition: machine.definition, input, handlers, stateMachineArn: machine.arn });
  const warm = await once();
  if (warm.status !== 'SUCCEEDED') throw new Error(`the happy path did not succeed: ${warm.error ?? ''} ${warm.cause ?? ''}`);
  const taskPath = warm.visitedStates.filter((state) => handlers[state] !== undefined);

  const interpreted: number[] = [];
  const direct: number[] = [];
  for (let execution = 0; execution < executions; execution += 1) {
    let started = performance.now();
    await once();
    interpreted.push(performance.now() - started);
    started = performance.now();
    for (const state of taskPath) await handlers[state]!(input);
    direct.push(performance.now() - started);
  }
  progress(`${executions} executions of ${warm.visitedStates.length} states timed`);
  return { interpreted, direct, states: warm.visitedStates.length };
}

process.stdout.write(
  `bench:pipeline ${new Date().toISOString()}: node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})\n` +
    `load average (1, 5, 15 min) at start: ${loads()}; the machine may be shared, so other work slows every figure\n\n`,
);
const demo = Array.from({ length: runs }, (_, index) => demoSeconds(index + 1));
const { interpreted, direct, states } = await interpreterCost();
const demoMedian = median(demo);
const overhead = median(interpreted) - median(direct);
process.stdout.write(
  `${renderTable(
    ['MEASUREMENT', 'RUNS', 'MEDIAN', 'TARGET'],
    [
      [
        'npm run demo, clean workspace',
        demo.map((seconds) => `${seconds.toFixed(1)} s`).join(' '),
        `${demoMedian.toFixed(1)} s`,
        `< ${DEMO_TARGET_SECONDS} s: ${demoMedian < DEMO_TARGET_SECONDS ? 'PASS' : 'MISS'}`,
      ],
      ['orders pipeline, interpreted', `${executions} executions`, `${median(interpreted).toFixed(2)} ms`, ''],
      ['same handlers, called directly', `${executions} executions`, `${median(direct).toFixed(3)} ms`, ''],
      ['interpreter overhead', `per execution of ${states} states`, `${overhead.toFixed(2)} ms (${(overhead / states).toFixed(3)} ms a state)`, ''],
    ],
  )}\n`,
);
process.stdout.write(`\n${renderTable(DELIVERY_COST_HEADERS, await deliveryCost(repo, tableRows, progress))}\n`);
