/**
 * The runtime the coverage scenarios run on: the offline runtime's services and engine composed as
 * `LocalPipelineRuntime` composes them, plus a build started with any input the cloud machine
 * takes, such as the `DatasetLoaded` event that starts it in the cloud or a selection naming
 * another domain's models, which `lakehouse build` (a dbt selector) never sends.
 */
import type { Dataset } from '../../../contracts/model.ts';
import { type BuildRun, BuildService } from '../../runtime/build-service.ts';
import { ExecutionEngine, type ExecutionEngineOptions, type ExecutionOptions } from '../../runtime/execution-engine.ts';
import { LocalServices, type LocalServicesOptions } from '../../runtime/local-services.ts';
import { type MaintenanceRun, MaintenanceService } from '../../runtime/maintenance-service.ts';
import { type PipelineRun, PipelineService, type RunOptions } from '../../runtime/pipeline-service.ts';
import type { JsonValue } from '../../stepfunctions/json.ts';
import type { ScenarioRun } from './scenario.ts';

export class ScenarioRuntime {
  private constructor(
    readonly services: LocalServices,
    private readonly pipelines: PipelineService,
    private readonly maintenance: MaintenanceService,
    private readonly builds: BuildService,
  ) {}

  static async start(options: LocalServicesOptions & ExecutionEngineOptions): Promise<ScenarioRuntime> {
    const services = await LocalServices.start(options);
    const engine = new ExecutionEngine(services, options);
    const pipelines = new PipelineService(engine, services);
    return new ScenarioRuntime(services, pipelines, new MaintenanceService(engine, services), new BuildService(engine, services));
  }

  get environment(): LocalServices['environment'] {
    return this.services.environment;
  }

  close(): Promise<void> {
    return this.services.close();
  }

  run(ref: string, file: string, options: RunOptions = {}): Promise<PipelineRun> {
    return this.pipelines.run(ref, file, options);
  }

  tableRowCount(dataset: Dataset): number {
    return this.pipelines.tableRowCount(dataset);
  }

  maintain(domain: string, options: ExecutionOptions = {}): Promise<MaintenanceRun> {
    return this.maintenance.maintain(domain, options);
  }

  /** `lakehouse build`'s runs: the domains a dbt selector picks, or every domain's full build. */
  build(selector: string | undefined, options: ExecutionOptions = {}): Promise<BuildRun[]> {
    return this.builds.build(selector, options);
  }

  /** The domain's build machine started with `input`, its Athena Tasks answered as `build` answers them. */
  buildWith(domain: string, input: JsonValue, options: ExecutionOptions = {}): Promise<ScenarioRun> {
    return this.builds.buildDomain(domain, input, options);
  }
}
