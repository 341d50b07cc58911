/**
 * kill -9 in the middle of pipelines and builds: a real child process (`kill-child.ts`) runs
 * deliveries through the offline runtime and models through `lakehouse build`'s build, each
 * frozen right after the work of its own state, and is SIGKILLed once all are frozen. Then each
 * workspace is replayed (the delivery with its landing event, as the router would send it again;
 * the build by building again) and nothing may be lost or written twice.
 *
 * Pipeline states come from the synthesized definition. Only Task states write anything, so a
 * kill while a Choice, Pass, Wait, Succeed or Fail state is current leaves exactly what the kill
 * after the Task before it leaves: killing after each Task covers every state at the cost of one
 * replay per Task. Which delivery reaches a Task is learnt from uninterrupted runs of a few
 * scenarios (rows quarantined, a lock left by a dead run, the load failing, nothing passing), and
 * every Task must be reached by one of them.
 *
 * `lakehouse build` runs a domain's build plan (the states of its build machine) in process; of
 * its steps only a table's publication writes to the lake, so each publish step is cut twice:
 * with its data files written but not committed, and committed with the build going no further.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineEnvironment } from '../../lib/cli/offline-environment.ts';
import { pipelineStateMachineName } from '../../lib/config/names.ts';
import { parseLandedFileEvent } from '../../lib/ingest/landed-file-event.ts';
import { attachLake } from '../../lib/local/lake/attach-lake.ts';
import { LocalLake } from '../../lib/local/lake/local-lake.ts';
import { tablesDirectory } from '../../lib/local/lake/table-layout.ts';
import { ExecutionRegistry } from '../../lib/local/runtime/execution-registry.ts';
import { LocalLockTable } from '../../lib/local/runtime/local-lock-table.ts';
import type { ExecutionOptions } from '../../lib/local/runtime/pipeline-runtime.ts';
import { runtimePaths } from '../../lib/local/runtime/runtime-paths.ts';
import { stateMachineNamed } from '../../lib/local/runtime/synthesized-environment.ts';
import type { SynthesizedStateMachine } from '../../lib/local/stepfunctions/definitions.ts';
import { listStates } from '../../lib/local/stepfunctions/states.ts';
import { scratchRoot } from '../../lib/local/scratch.ts';
import { workspaceAt } from '../../lib/local/workspace.ts';
import { PIPELINE_STATES as S } from '../../lib/pipeline/state-names.ts';
import { buildPlan } from '../../lib/transforms/build-plan.ts';
import { compileForEnvironment } from '../../lib/transforms/compiled-project.ts';
import { heldLocks, repoRoot, SAMPLE_INGEST_TIME, sample, startRuntime } from '../local/runtime/helpers.ts';
import { alerts, expectCountedOnce, silverCounts } from './delivery-account.ts';
import { failedQuery } from './fault-injection.ts';
import { type BuildKillTarget, FINISHED, FROZEN, type KillPlan, type PipelineKillTarget, READY } from './kill-plan.ts';

const root = mkdtempSync(join(tmpdir(), 'kill-9-'));
const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const environment = openOfflineEnvironment({ projectRoot: repoRoot, environment: 'dev' });
const datasets = environment.catalog.domains.flatMap((domain) => domain.datasets);
const orders = datasets.find((dataset) => dataset.names.ref === 'sales/orders')!;
const pipeline: SynthesizedStateMachine = await stateMachineNamed(environment, pipelineStateMachineName(environment.identity, orders));
/**
 * The lineage writes are left out: each puts one new object of its own run (its key holds the run
 * id) that nothing reads back, so a kill after one leaves what a kill after the Task before it
 * leaves, plus that event, and a replay is a new run with its own events.
 */
const LINEAGE_WRITES = new Set<string>([S.writeLineageStart, S.writeLineageLoaded, S.writeLineageNothingToLoad, S.writeLineageRejected, S.writeLineageFailed]);
const taskStates = listStates(pipeline.definition)
  .filter((state) => state.type === 'Task' && !LINEAGE_WRITES.has(state.name))
  .map((state) => state.name);
/** The execution named in the lock a dead run left. */
const STALE_HOLDER = 'killed-earlier';

interface Scenario {
  readonly file: string;
  readonly failLoad: boolean;
  /** The dataset's lock is held by an execution that stopped without releasing it. */
  readonly staleLock: boolean;
}

let workspaces = 0;

function newWorkspace(): string {
  workspaces += 1;
  return join(root, `workspace-${workspaces}`);
}

/** Every row breaks the contract (an unknown currency), so nothing passes. */
function nothingPasses(): string {
  const [header, ...rows] = readFileSync(sample('sales', 'orders.csv'), 'utf8').trimEnd().split('\n');
  const currency = header!.split(',').indexOf('currency');
  const file = join(root, 'orders-unknown-currency.csv');
  const broken = rows.map((row) => row.split(',').map((value, column) => (column === currency ? 'XXX' : value)).join(','));
  writeFileSync(file, `${[header, ...broken].join('\n')}\n`);
  return file;
}

/** A lock item naming an execution that was aborted, as a run killed before ReleaseLock leaves it. */
async function leaveStaleLock(workspace: string): Promise<void> {
  const paths = runtimePaths(workspaceAt(workspace));
  const executionArn = ExecutionRegistry.executionArn(pipeline.arn, STALE_HOLDER);
  new ExecutionRegistry(paths.executions).record({
    executionArn,
    stateMachineArn: pipeline.arn,
    name: STALE_HOLDER,
    status: 'ABORTED',
    startDate: new Date(0).toISOString(),
    pid: 0,
    input: {},
  });
  const acquire = pipeline.definition.States[S.acquireLock] as unknown as { Parameters: { TableName: string } };
  await new LocalLockTable(paths.locks).putItem({ TableName: acquire.Parameters.TableName, Item: { pk: { S: orders.names.ref }, holder: { S: executionArn } } });
}

const failingLoad: NonNullable<ExecutionOptions['wrapTask']> = (state, handler) =>
  state === S.load ? async () => Promise.reject(failedQuery('HIVE_BAD_DATA: injected')) : handler;

/** An uninterrupted run of the scenario, in a workspace of its own: which states it visits. */
async function visitedBy(scenario: Scenario): Promise<ReadonlySet<string>> {
  const workspace = newWorkspace();
  if (scenario.staleLock) await leaveStaleLock(workspace);
  const fixture = await startRuntime({ workspace, synthesized: environment });
  try {
    const run = await fixture.runtime.run(orders.names.ref, scenario.file, { ingestTime: SAMPLE_INGEST_TIME, ...(scenario.failLoad ? { wrapTask: failingLoad } : {}) });
    return new Set(run.visitedStates);
  } finally {
    await fixture.close();
  }
}

async function pipelineTargets(): Promise<PipelineKillTarget[]> {
  const scenarios: Scenario[] = [
    { file: sample('sales', 'orders.broken.csv'), failLoad: false, staleLock: false },
    { file: sample('sales', 'orders.csv'), failLoad: false, staleLock: true },
    { file: sample('sales', 'orders.csv'), failLoad: true, staleLock: false },
    { file: nothingPasses(), failLoad: false, staleLock: false },
  ];
  const paths: [Scenario, ReadonlySet<string>][] = [];
  for (const scenario of scenarios) paths.push([scenario, await visitedBy(scenario)]);
  const targets: PipelineKillTarget[] = [];
  for (const state of taskStates) {
    const scenario = paths.find(([, visited]) => visited.has(state))?.[0];
    if (scenario === undefined) continue;
    const workspace = newWorkspace();
    if (scenario.staleLock) await leaveStaleLock(workspace);
    targets.push({ workspace, dataset: orders.names.ref, file: scenario.file, ingestTime: SAMPLE_INGEST_TIME.toISOString(), state, failLoad: scenario.failLoad });
  }
  return targets;
}

/** A lake holding the shipped samples of every dataset a model reads, loaded through their pipelines. */
async function modelInputs(inputs: readonly string[]): Promise<string> {
  const workspace = newWorkspace();
  const fixture = await startRuntime({ workspace, synthesized: environment });
  try {
    for (const ref of inputs) {
      const dataset = fixture.runtime.dataset(ref);
      const file = sample(dataset.domain, `${dataset.name}.${dataset.format === 'json' ? 'jsonl' : dataset.format}`);
      expect((await fixture.runtime.run(ref, file, { ingestTime: SAMPLE_INGEST_TIME })).status, ref).toBe('SUCCEEDED');
    }
    const tables = join(root, 'model-inputs');
    cpSync(tablesDirectory(fixture.runtime.paths.root), tables, { recursive: true });
    return tables;
  } finally {
    await fixture.close();
  }
}

function lakeWith(tables: string): string {
  const workspace = newWorkspace();
  cpSync(tables, tablesDirectory(workspaceAt(workspace).root), { recursive: true });
  return workspace;
}

/** Every domain's build on the lake of `workspace`, by the runtime `lakehouse build` uses; the workspace stays. */
async function buildAll(workspace: string) {
  const fixture = await startRuntime({ workspace, synthesized: environment });
  try {
    return (await fixture.runtime.build()).flatMap((run) => run.models);
  } finally {
    await fixture.runtime.close();
  }
}

/** Each published table's rows, as sorted JSON lines: equal lists mean no row lost or repeated. */
async function goldRows(workspace: string, tables: readonly { database: string; table: string }[]): Promise<Record<string, string[]>> {
  const lake = new LocalLake(workspaceAt(workspace).root);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await attachLake(connection, lake);
    const result: Record<string, string[]> = {};
    for (const { database, table } of tables) {
      const reader = await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR FROM "${database}"."${table}" AS t`);
      result[`${database}.${table}`] = reader.getRows().map(([row]) => String(row)).sort();
    }
    return result;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface BuildTargets {
  readonly targets: BuildKillTarget[];
  readonly tables: { database: string; table: string }[];
  /** What an uninterrupted build publishes. */
  readonly expected: Record<string, string[]>;
}

async function buildTargets(): Promise<BuildTargets> {
  const compiled = await compileForEnvironment(environment.catalog, environment.identity);
  const builds = environment.catalog.domains
    .flatMap((domain) => buildPlan(compiled.dag, compiled.columns, domain.name, compiled.placement).layers.flat())
    .filter((build) => build.model.materialized !== 'view');
  const inputs = [...new Set(compiled.dag.models.flatMap((model) => [...model.resolved.values()]).filter((target) => target.kind === 'dataset').map((target) => target.id))];
  const sourceTables = await modelInputs(inputs);
  const tables = builds.map((build) => ({ database: compiled.placement.database(build.model.domain), table: build.model.name }));
  const baseline = lakeWith(sourceTables);
  const outcomes = await buildAll(baseline);
  for (const built of outcomes) expect([built.model, built.status, built.message]).toEqual([built.model, 'published', undefined]);
  const expected = await goldRows(baseline, tables);
  const targets = builds.flatMap((build, index) =>
    (['staged', 'committed'] as const).map((phase) => ({
      workspace: lakeWith(sourceTables),
      state: build.steps.filter((step) => step.role === 'publish').at(-1)!.name,
      ...tables[index]!,
      phase,
    })),
  );
  return { targets, tables, expected };
}

/** Starts the child at once (its imports take seconds), hands it the plan, kills it when every target froze. */
async function killed(plan: Promise<KillPlan>): Promise<{ plan: KillPlan; frozen: string[]; finished: string[] }> {
  const childTmp = join(root, 'child-tmp');
  mkdirSync(childTmp, { recursive: true });
  const child = spawn(process.execPath, ['--import', tsxLoader, join(repoRoot, 'test/faults/kill-child.ts')], {
    cwd: repoRoot,
    // What a killed process leaves in its temporary directory stays inside this test's folder.
    env: { ...process.env, TMPDIR: childTmp },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const frozen: string[] = [];
  const finished: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let ready = false;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, ...rest] = line.split(' ');
      if (word === FROZEN) frozen.push(rest.join(' '));
      if (word === FINISHED) finished.push(rest.join(' '));
      if (word === READY) {
        ready = true;
        child.kill('SIGKILL');
      }
    }
  });
  let given: KillPlan;
  try {
    given = await plan;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.stdin.end(JSON.stringify(given));
  const { code, signal } = await exited;
  if (!ready || signal !== 'SIGKILL') throw new Error(`the child exited (${code ?? signal}) before it was killed:\n${stderr}`);
  return { plan: given, frozen, finished };
}

let outcome: Awaited<ReturnType<typeof killed>>;
let builds: BuildTargets;

beforeAll(async () => {
  const machinesFile = join(root, 'machines.json');
  writeFileSync(machinesFile, JSON.stringify(await environment.stateMachines()));
  outcome = await killed(
    (async () => {
      const pipelines = await pipelineTargets();
      builds = await buildTargets();
      return { projectRoot: repoRoot, machinesFile, pipelines, builds: builds.targets };
    })(),
  );
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function replayDelivery(target: PipelineKillTarget): Promise<void> {
  const fixture = await startRuntime({ workspace: target.workspace, synthesized: environment });
  const { runtime } = fixture;
  try {
    const killedRuns = runtime.executions.executionsOf(pipeline.arn).filter((record) => record.name !== STALE_HOLDER);
    expect(killedRuns.map((record) => record.status), 'the killed execution is recorded, as aborted').toEqual(['ABORTED']);
    const landed = parseLandedFileEvent(killedRuns[0]!.input);
    const table = await silverCounts(runtime, orders);
    expect(table.rows, 'no key twice in silver after the kill').toBe(table.keys);
    expect(readFileSync(runtime.s3.objectPath(landed.bucket, landed.key)).equals(readFileSync(target.file)), 'the landed original is intact').toBe(true);

    const replay = await runtime.runPipeline(orders, landed);
    expect(replay.status === 'SUCCEEDED' || replay.rejected, `replay ${replay.status} ${replay.error ?? ''} ${replay.cause ?? ''}`).toBe(true);
    await expectCountedOnce(runtime, { dataset: orders, file: target.file, key: landed.key, fileId: replay.fileId! });
    if (replay.rowsQuarantined > 0) expect(alerts(runtime).length, 'the quarantined rows were alerted').toBeGreaterThan(0);
    expect(heldLocks(runtime), 'no lock is left held').toEqual([]);
    const scratch = readdirSync(scratchRoot(workspaceAt(target.workspace)));
    expect(scratch.filter((folder) => !folder.startsWith(`${process.pid}-`)), "the killed process's scratch is gone").toEqual([]);
  } finally {
    await fixture.close();
  }
}

describe('kill -9 during a pipeline run', () => {
  it('reached every Task state of the definition in some scenario, and froze there', () => {
    expect(outcome.plan.pipelines.map((target) => target.state)).toEqual(taskStates);
    expect(outcome.finished).toEqual([]);
    expect(outcome.frozen.filter((line) => line.startsWith('pipeline '))).toEqual(outcome.plan.pipelines.map((_, index) => `pipeline ${index}`));
  });

  it.each(taskStates)('loses nothing and loads once when the delivery is replayed after a kill at %s', async (state) => {
    const target = outcome.plan.pipelines.find((candidate) => candidate.state === state);
    expect(target, `no scenario reaches ${state}`).toBeDefined();
    await replayDelivery(target!);
  });
});

describe('kill -9 during lakehouse build', () => {
  it('froze in every publication of a table, before and after its commit', () => {
    expect(outcome.plan.builds.length).toBeGreaterThan(0);
    expect(outcome.frozen.filter((line) => line.startsWith('build '))).toEqual(outcome.plan.builds.map((_, index) => `build ${index}`));
  });

  it('shows either the old or the new table after each kill, and building again publishes each row once', async () => {
    for (const target of outcome.plan.builds) {
      const label = `${target.state} ${target.phase}`;
      const key = `${target.database}.${target.table}`;
      expect([[], builds.expected[key]], label).toContainEqual((await goldRows(target.workspace, [target]))[key]);
      // The killed build's lock names a process that is gone: this build takes it over.
      const rebuilt = await buildAll(target.workspace);
      expect(rebuilt.filter((model) => model.status !== 'published'), label).toEqual([]);
      expect(await goldRows(target.workspace, builds.tables), label).toEqual(builds.expected);
    }
  });
});
