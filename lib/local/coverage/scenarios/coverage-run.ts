/**
 * Runs every coverage scenario of one environment's state machines and counts the states entered
 * and transitions taken (issue 10 item 3). The machines counted are every state machine the shipped
 * contracts' assembly holds; the scenarios run the assembly of `writeEveryPathContracts`'s copy,
 * and every execution counted must run a definition equal, as a whole, to the shipped one of its
 * name. Each scenario runs once on flaky services (`flakyServices`: every retrier retries, and the
 * scenario's check shows the run ends as without faults), ML training without feature data and
 * builds whose inputs were never loaded first, ML training and promotion on the built feature
 * tables last; then, for each catcher no run took, a scenario whose run entered its state runs
 * again with an error only that catcher handles (`reachCatchers`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Domain } from '../../../contracts/model.ts';
import { compileTransforms } from '../../../transforms/compile.ts';
import { LocalPipelineRuntime } from '../../runtime/pipeline-runtime.ts';
import type { SynthesizedEnvironment } from '../../runtime/synthesized-environment.ts';
import type { SynthesizedStateMachine } from '../../stepfunctions/definitions.ts';
import type { ExecutionResult } from '../../stepfunctions/run.ts';
import { type DefinitionState, listStates } from '../../stepfunctions/states.ts';
import { listTransitions } from '../../stepfunctions/transitions.ts';
import { executionCoverage } from '../execution-coverage.ts';
import { StateCoverage, type StateCoverageReport } from '../state-coverage.ts';
import { buildScenarios, unloadedBuildScenarios } from './build-scenarios.ts';
import { Deliveries } from './deliveries.ts';
import { maintenanceScenarios } from './maintenance-scenarios.ts';
import { pipelineScenarios } from './pipeline-scenarios.ts';
import type { Scenario } from './scenario.ts';
import { catcherError } from './handled-errors.ts';
import { promotionScenarios } from './promotion-scenarios.ts';
import { trainingScenarios, untrainedScenarios } from './training-scenarios.ts';
import { composeFaults, failingWith, flakyServices, type TaskWrapper } from './task-faults.ts';

export interface CoverageRunOptions {
  /** The folder holding `cdk.json`. */
  readonly projectRoot: string;
  /** The shipped contracts folder: its samples are what the scenarios deliver. */
  readonly contractsRoot: string;
  /** The environment as the shipped contracts synthesize it: its machines are the ones counted. */
  readonly shipped: SynthesizedEnvironment;
  /** The same environment synthesized from `writeEveryPathContracts`'s copy: its machines run. */
  readonly scenarios: SynthesizedEnvironment;
  /** An empty folder for the runtime's workspace and the delivered files. */
  readonly workspace: string;
  /** Receives one line per scenario run. @default nothing is said */
  readonly log?: (line: string) => void;
}

export interface CoverageRunResult {
  readonly report: StateCoverageReport;
  /** Every scenario whose run went elsewhere than it says, and every execution that could not be counted. */
  readonly problems: readonly string[];
}

/** One execution a scenario ran, with the faults it ran with, so a later run can reach what it reached. */
export interface ScenarioExecution {
  readonly scenario: Scenario;
  readonly faults: readonly TaskWrapper[];
  readonly visited: ReadonlySet<string>;
  /** Milliseconds the scenario took: the quickest one reaching a state is run again. */
  readonly took: number;
}

interface Catcher {
  readonly id: string;
  readonly state: string;
  readonly catcher: number;
}

export class CoverageRun {
  readonly coverage = new StateCoverage();
  readonly problems: string[] = [];
  private readonly counted: ReadonlyMap<string, SynthesizedStateMachine>;
  /** The last execution of each machine since the current scenario started. */
  private latest = new Map<string, ExecutionResult>();

  constructor(machines: readonly SynthesizedStateMachine[]) {
    this.counted = new Map(machines.map((machine) => [machine.name, machine]));
    for (const machine of machines) this.coverage.addMachine(machine);
  }

  machine(name: string): SynthesizedStateMachine {
    const machine = this.counted.get(name);
    if (machine === undefined) throw new Error(`a scenario runs ${name}, which the shipped assembly does not hold`);
    return machine;
  }

  /** The runtime's `onExecution`: counts the execution against the shipped machine of its name. */
  readonly onExecution = (machine: SynthesizedStateMachine, result: ExecutionResult): void => {
    const counted = this.counted.get(machine.name);
    if (counted === undefined) {
      this.problems.push(`${machine.name}: ran, but the shipped assembly holds no state machine of that name`);
      return;
    }
    if (!isDeepStrictEqual(machine.definition, counted.definition)) {
      this.problems.push(`${machine.name}: the scenarios' contracts synthesize another definition than the shipped ones, so its runs cannot count`);
      return;
    }
    try {
      this.coverage.record(counted, result);
    } catch (error) {
      this.problems.push(`${machine.name}: ${(error as Error).message}`);
    }
    this.latest.set(machine.name, result);
  };

  /** Runs the scenario with the faults, and returns what its own machine's execution entered. */
  async execute(scenario: Scenario, faults: readonly TaskWrapper[]): Promise<{ visited: ReadonlySet<string>; problems: readonly string[] } | undefined> {
    this.latest = new Map();
    const machine = this.machine(scenario.machine);
    try {
      const { problems } = await scenario.execute(composeFaults(flakyServices(machine.definition), ...faults));
      const result = this.latest.get(scenario.machine);
      if (result === undefined) {
        this.problems.push(`${scenario.name}: ran no execution of ${scenario.machine}`);
        return undefined;
      }
      return { visited: executionCoverage(machine.definition, result).visited, problems };
    } catch (error) {
      this.problems.push(`${scenario.name}: ${(error as Error).stack ?? String(error)}`);
      return undefined;
    }
  }

  /** Catchers of the machine no execution took yet, in the definition's order. */
  untakenCatchers(machine: SynthesizedStateMachine): Catcher[] {
    const missing = new Set(this.coverage.report().machines.find((entry) => entry.name === machine.name)?.transitions.missing ?? []);
    return listTransitions(machine.definition).flatMap((transition) =>
      transition.kind === 'Catch' && missing.has(transition.id) ? [{ id: transition.id, state: transition.from, catcher: transition.catcher }] : [],
    );
  }
}

async function scenariosOf(runtime: LocalPipelineRuntime, deliveries: Deliveries, scratch: string, samples: string): Promise<Scenario[]> {
  const { catalog } = runtime.environment;
  const dag = compileTransforms(catalog);
  const context = { runtime, deliveries, dag, scratch, samples };
  const each = async (domains: readonly Domain[], make: (domain: Domain) => Promise<Scenario[]> | Scenario[]): Promise<Scenario[]> =>
    (await Promise.all(domains.map(make))).flat();
  // Each build scenario runs its own domain's build alone: the domains go in the order a full
  // build runs them (of their first model in the DAG), so models another domain's read were
  // published by that domain's scenarios first.
  const firstModel = (domain: Domain): number => {
    const index = dag.models.findIndex((model) => model.domain === domain.name);
    return index === -1 ? dag.models.length : index;
  };
  const inBuildOrder = [...catalog.domains].sort((left, right) => firstModel(left) - firstModel(right));
  return [
    // Before any delivery: training whose feature table has no data, a build whose inputs were never loaded.
    ...(await untrainedScenarios(context)),
    ...(await each(catalog.domains, (domain) => unloadedBuildScenarios(context, domain))),
    ...(await each(catalog.domains, async (domain) => (await Promise.all(domain.datasets.map((dataset) => pipelineScenarios(context, dataset)))).flat())),
    ...(await each(catalog.domains, (domain) => maintenanceScenarios(context, domain))),
    ...(await each(inBuildOrder, (domain) => buildScenarios(context, domain))),
    // Once the feature tables were built: training on generated samples, then promoting what it registered.
    ...(await trainingScenarios(context)),
    ...(await promotionScenarios(context)),
  ];
}

/**
 * A fault only the catcher handles: in its Task, or, for a Parallel or Map state, in every Task
 * inside it, so whichever path a branch takes fails, down to a Task whose own catchers let the
 * error out of the branch and into the state around it.
 */
function faultReaching(states: readonly DefinitionState[], target: Catcher): TaskWrapper {
  const state = states.find((candidate) => candidate.name === target.state)!;
  const error = catcherError(state.definition, target.catcher);
  if (state.type === 'Task') return failingWith(state.name, error);
  return composeFaults(...states.filter((inner) => inner.type === 'Task' && inner.enclosing.includes(state.name)).map((inner) => failingWith(inner.name, error)));
}

/** Task states in sibling branches of one Parallel: a fault in each leaves the others' runs as they were. */
function siblings(states: readonly DefinitionState[], batch: readonly Catcher[], candidate: Catcher): boolean {
  const byName = (name: string) => states.find((state) => state.name === name)!;
  const state = byName(candidate.state);
  const enclosing = state.enclosing.at(-1);
  return (
    state.type === 'Task' &&
    enclosing !== undefined &&
    byName(enclosing).type === 'Parallel' &&
    batch.every((member) => {
      const other = byName(member.state);
      return other.type === 'Task' && other.enclosing.at(-1) === enclosing && other.graph !== state.graph;
    })
  );
}

/**
 * Runs scenarios again until every catcher of the machine was taken or tried: each time the
 * quickest scenario whose execution entered an untaken catcher's state, with the faults it ran
 * with, a fault only that catcher handles, and one in each sibling Parallel branch whose catcher
 * the same execution reached (a build's models). The scenario's own check is not asked: the
 * faults send it elsewhere on purpose; the catchers it had to take are checked instead.
 */
export async function reachCatchers(run: CoverageRun, machine: SynthesizedStateMachine, executions: ScenarioExecution[], say: (line: string) => void): Promise<void> {
  const states = listStates(machine.definition);
  const byName = new Map(states.map((state) => [state.name, state]));
  const tried = new Set<string>();
  let next: Catcher | undefined;
  while ((next = run.untakenCatchers(machine).find((catcher) => !tried.has(catcher.id))) !== undefined) {
    const first = next;
    tried.add(first.id);
    // A fault for a Parallel or Map state is injected into the Tasks inside it: the base must have run one.
    const reaches = (visited: ReadonlySet<string>): boolean =>
      visited.has(first.state) && (byName.get(first.state)!.type === 'Task' || states.some((inner) => inner.type === 'Task' && inner.enclosing.includes(first.state) && visited.has(inner.name)));
    const base = executions
      .filter((execution) => execution.scenario.machine === machine.name && reaches(execution.visited))
      .sort((left, right) => left.took - right.took)[0];
    if (base === undefined) continue;
    const batch = [first];
    for (const candidate of run.untakenCatchers(machine)) {
      if (!tried.has(candidate.id) && base.visited.has(candidate.state) && siblings(states, batch, candidate) && siblings(states, [candidate], first)) {
        batch.push(candidate);
        tried.add(candidate.id);
      }
    }
    const injected = batch.map((target) => faultReaching(states, target));
    say(`${base.scenario.name}, faults for ${batch.map((target) => target.id).join('; ')}`);
    const faults = [...base.faults, ...injected];
    const started = Date.now();
    const outcome = await run.execute(base.scenario, faults);
    if (outcome === undefined) continue;
    executions.push({ scenario: base.scenario, faults, visited: outcome.visited, took: Date.now() - started });
    const untaken = new Set(run.untakenCatchers(machine).map((catcher) => catcher.id));
    for (const target of batch.filter((member) => untaken.has(member.id))) {
      run.problems.push(`${base.scenario.name}: a fault only ${target.id} handles was injected, but the run did not take it`);
    }
  }
}

export async function runCoverageScenarios(options: CoverageRunOptions): Promise<CoverageRunResult> {
  const say = options.log ?? (() => undefined);
  const run = new CoverageRun(await options.shipped.stateMachines());
  const files = join(options.workspace, 'deliveries');
  const scratch = join(options.workspace, 'duckdb');
  mkdirSync(files, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  const runtime = await LocalPipelineRuntime.start({
    projectRoot: options.projectRoot,
    workspace: join(options.workspace, 'lake'),
    synthesized: options.scenarios,
    retryPauseMs: 0,
    waitPauseMs: 0,
    onExecution: run.onExecution,
  });
  try {
    const executions: ScenarioExecution[] = [];
    for (const scenario of await scenariosOf(runtime, new Deliveries(options.contractsRoot, files), scratch, join(files, 'generated'))) {
      say(scenario.name);
      const started = Date.now();
      const outcome = await run.execute(scenario, []);
      if (outcome === undefined) continue;
      run.problems.push(...outcome.problems.map((problem) => `${scenario.name}: ${problem}`));
      executions.push({ scenario, faults: [], visited: outcome.visited, took: Date.now() - started });
    }
    for (const machine of new Map(executions.map(({ scenario }) => [scenario.machine, run.machine(scenario.machine)])).values()) {
      await reachCatchers(run, machine, executions, say);
    }
  } finally {
    await runtime.close();
  }
  return { report: run.coverage.report(), problems: run.problems };
}
