/**
 * A domain's build offline: its synthesized build state machine run on the engine, as
 * `lakehouse run` runs a pipeline. Each Athena Task is answered by the DuckDB rendering of the
 * same compiled model step (`buildQueries`) on a connection confined to the lake; the build lock,
 * alerts and announcements by the shared stand-ins. The selection is the execution input the
 * cloud machine also takes (`buildSelectionInputs`).
 */
import { buildStateMachineName } from '../../config/names.ts';
import { buildPlan } from '../../transforms/build-plan.ts';
import { buildSelectionInputs } from '../../transforms/build-selection.ts';
import { compileForEnvironment } from '../../transforms/compiled-project.ts';
import { SelectorError } from '../../transforms/select-models.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { openBuildConnection } from './build-connection.ts';
import { BuildObservations } from './build-observations.ts';
import { buildModelOutcomes, type BuildModelOutcome } from './build-outcomes.ts';
import { buildQueries } from './build-query.ts';
import type { ExecutionEngine, ExecutionOptions } from './execution-engine.ts';
import type { LocalIntegrations } from './integrations.ts';
import type { LocalServices } from './local-services.ts';
import { machineRun, type MachineRun } from './machine-run.ts';
import { putObjectTask } from './put-object-task.ts';
import { stateMachineNamed } from './synthesized-environment.ts';

export interface BuildRun extends MachineRun {
  readonly domain: string;
  readonly visitedStates: readonly string[];
  /** Each model that reached an outcome, in DAG order. */
  readonly models: readonly BuildModelOutcome[];
}

export class BuildService {
  /**
   * Every domain's models compiled and their columns inferred, as the app does, once: the
   * contracts do not change while the runtime runs.
   */
  private compiled: ReturnType<typeof compileForEnvironment> | undefined;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly services: LocalServices,
  ) {}

  /**
   * Runs the build of every domain with a model the dbt `selector` picks, one after another in
   * the order of their first selected model; without a selector, every domain's full build (the
   * scheduled one's input). Throws `SelectorError` for a selector naming no model, or only models
   * of domains the app does not deploy.
   */
  async build(selector?: string, options: ExecutionOptions = {}): Promise<BuildRun[]> {
    const { dag } = await this.compiledProject();
    // No selection is the scheduled full build's input: every model of every domain with models.
    const inputs: ReadonlyMap<string, JsonValue> =
      selector === undefined ? new Map(dag.models.map((model) => [model.domain, {}])) : buildSelectionInputs(dag, selector);
    // Only the domains the app deploys have a build machine; the others' models are read as published.
    const deployed = this.services.environment.catalog.domains.map((domain) => domain.name);
    const built = [...inputs].filter(([domain]) => deployed.includes(domain));
    if (selector !== undefined && built.length === 0) {
      throw new SelectorError(`'${selector}' selects models of ${[...inputs.keys()].join(', ')} only, which cdk.json's domains leaves out (deployed: ${deployed.join(', ')})`);
    }
    const runs: BuildRun[] = [];
    for (const [domain, input] of built) runs.push(await this.buildDomain(domain, input, options));
    return runs;
  }

  /**
   * Runs `domain`'s build machine with any input the cloud machine takes: `{}` (the scheduled full
   * build), a selection, or the `DatasetLoaded` event that starts it in the cloud.
   */
  async buildDomain(domain: string, input: JsonValue, options: ExecutionOptions = {}): Promise<BuildRun> {
    const { environment, lake, athena } = this.services;
    const { dag, columns, placement } = await this.compiledProject();
    const plan = buildPlan(dag, columns, domain, placement);
    const machine = await stateMachineNamed(environment, buildStateMachineName(environment.identity, domain));
    const connection = await openBuildConnection(lake);
    try {
      const observations = new BuildObservations();
      const query = buildQueries({ plan, columns, placement, lake, connection: connection.connection, observations });
      const integrations: LocalIntegrations = {
        'athena:startQueryExecution.sync': (state) => (request) => athena.startQueryExecutionSync(request, query(state.name)),
        // Each model run's lineage events, to the local audit zone.
        's3:putObject': () => putObjectTask(this.services.s3.client),
      };
      const outcome = await this.engine.execute({ machine, input, integrations }, options);
      const { visitedStates } = outcome.result;
      return {
        domain,
        ...machineRun(machine, outcome),
        visitedStates,
        models: buildModelOutcomes({ plan, visitedStates, observations, lake, placement }),
      };
    } finally {
      connection.close();
    }
  }

  private compiledProject(): ReturnType<typeof compileForEnvironment> {
    const { environment } = this.services;
    this.compiled ??= compileForEnvironment(environment.modelCatalog, environment.identity);
    return this.compiled;
  }
}
