/**
 * The offline runtime of one environment, as the CLI, the demo and the tests use it: the local
 * stand-ins of its services (`LocalServices`), an engine that runs any of its synthesized state
 * machines on them (`ExecutionEngine`), and one service per concern on the engine: dataset
 * pipelines, domain maintenance, domain builds, ML training and promotion, the quarantine. This class only composes them, so a new kind of
 * execution is a new service (it gets the engine and the shared services), not a longer class.
 */
import type { Zone } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import type { LandedFileEvent } from '../../ingest/landed-file-event.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { S3Server } from '../s3-server.ts';
import type { ModelPackageStateChangeEvent } from '../../ml/model-package-state-change.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { ExecutionEngine, type ExecutionEngineOptions, type ExecutionOptions } from './execution-engine.ts';
import type { ExecutionRegistry } from './execution-registry.ts';
import type { LocalLockTable } from './local-lock-table.ts';
import { LocalServices, type LocalServicesOptions } from './local-services.ts';
import { BuildService, type BuildRun } from './build-service.ts';
import { MaintenanceService, type MaintenanceRun } from './maintenance-service.ts';
import { PipelineService, type LandedObject, type PipelineRun, type RunOptions } from './pipeline-service.ts';
import { type LineageResult, PredictionLineageService } from './prediction-lineage.ts';
import { PromotionService, type PromotionRun } from './promotion-service.ts';
import { QuarantineService, type QuarantineEntry, type Release } from './quarantine-service.ts';
import type { RuntimePaths } from './runtime-paths.ts';
import type { SynthesizedEnvironment } from './synthesized-environment.ts';
import { type TrackedTrainingRun, TrainingService, type TrainingRun } from './training-service.ts';

export type { BuildRun } from './build-service.ts';
export type { ExecutionOptions } from './execution-engine.ts';
export type { MaintenanceRun } from './maintenance-service.ts';
export type { PipelineRun, RunOptions } from './pipeline-service.ts';
export type { LineageResult, PredictionBatch, PredictionLineage } from './prediction-lineage.ts';
export type { PromotionRun } from './promotion-service.ts';
export type { QuarantineEntry, Release } from './quarantine-service.ts';
export type { TrackedTrainingRun, TrainingRun, TrainingRunRecord } from './training-service.ts';

export type LocalPipelineRuntimeOptions = LocalServicesOptions & ExecutionEngineOptions;

export class LocalPipelineRuntime {
  readonly environment: SynthesizedEnvironment;
  readonly paths: RuntimePaths;
  readonly lake: LocalLake;
  readonly s3: S3Server;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly executions: ExecutionRegistry;
  readonly locks: LocalLockTable;
  private readonly pipelines: PipelineService;
  private readonly maintenance: MaintenanceService;
  private readonly builds: BuildService;
  private readonly quarantine: QuarantineService;
  private readonly training: TrainingService;
  private readonly promotion: PromotionService;
  private readonly lineage: PredictionLineageService;

  private constructor(
    private readonly services: LocalServices,
    options: ExecutionEngineOptions,
  ) {
    this.environment = services.environment;
    this.paths = services.paths;
    this.lake = services.lake;
    this.s3 = services.s3;
    this.buckets = services.buckets;
    this.executions = services.executions;
    this.locks = services.locks;
    const engine = new ExecutionEngine(services, options);
    this.pipelines = new PipelineService(engine, services);
    this.maintenance = new MaintenanceService(engine, services);
    this.builds = new BuildService(engine, services);
    this.quarantine = new QuarantineService(services, this.pipelines);
    this.training = new TrainingService(engine, services);
    this.promotion = new PromotionService(engine, services, (model) => this.training.model(model));
    this.lineage = new PredictionLineageService(services, (model) => this.training.model(model), (model) => this.training.runs(model));
  }

  /**
   * Starts the local S3 server with every zone bucket of the environment by its real name. The
   * environment's app is synthesized when a state machine first runs.
   */
  static async start(options: LocalPipelineRuntimeOptions): Promise<LocalPipelineRuntime> {
    return new LocalPipelineRuntime(await LocalServices.start(options), options);
  }

  async close(): Promise<void> {
    await this.services.close();
  }

  /** `<domain>/<dataset>`, or `UnknownDatasetError` with a did-you-mean. */
  dataset(ref: string): Dataset {
    return this.services.dataset(ref);
  }

  database(dataset: Pick<Dataset, 'domain'>): string {
    return this.services.database(dataset);
  }

  /** Rows in the dataset's silver table now (0 before its first load). */
  tableRowCount(dataset: Dataset): number {
    return this.pipelines.tableRowCount(dataset);
  }

  /** Puts a local file in the landing zone at `<domain>/<dataset>/<file name>`, as delivered: its own version. */
  land(dataset: Dataset, file: string): Promise<LandedObject> {
    return this.pipelines.land(dataset, file);
  }

  /** Lands `file` for the dataset and runs its pipeline with the landing event S3 would send. */
  run(ref: string, file: string, options: RunOptions = {}): Promise<PipelineRun> {
    return this.pipelines.run(ref, file, options);
  }

  /** Runs the dataset's synthesized pipeline for a landed object, as its domain's router would start it. */
  runPipeline(dataset: Dataset, input: LandedFileEvent, options: ExecutionOptions = {}): Promise<PipelineRun> {
    return this.pipelines.runPipeline(dataset, input, options);
  }

  /** Runs a domain's synthesized maintenance state machine on the local lake. */
  maintain(domain: string, options: ExecutionOptions = {}): Promise<MaintenanceRun> {
    return this.maintenance.maintain(domain, options);
  }

  /**
   * Runs the synthesized build state machine of each domain with a model the dbt `selector` picks
   * (every domain's full build without one), the selection as its execution input.
   */
  build(selector?: string, options: ExecutionOptions = {}): Promise<BuildRun[]> {
    return this.builds.build(selector, options);
  }

  /**
   * Runs `domain`'s synthesized build state machine with any input the cloud machine takes: `{}`
   * (the scheduled full build), a selection, or the `DatasetLoaded` event that starts it in the
   * cloud, which `build`'s dbt selector never sends.
   */
  buildDomain(domain: string, input: JsonValue, options: ExecutionOptions = {}): Promise<BuildRun> {
    return this.builds.buildDomain(domain, input, options);
  }

  /** Quarantined deliveries of one dataset or all, with the status of their latest release. */
  quarantined(ref?: string): Promise<QuarantineEntry[]> {
    return this.quarantine.quarantined(ref);
  }

  /** Runs a quarantined delivery through its pipeline again with the current contract, and records the release. */
  release(fileId: string, releasedBy: string): Promise<Release> {
    return this.quarantine.release(fileId, releasedBy);
  }

  /** Runs the synthesized training state machine of the ML model `<domain>/<model>`: one run, recorded whatever its outcome. */
  train(model: string, options: ExecutionOptions = {}): Promise<TrainingRun> {
    return this.training.train(model, options);
  }

  /**
   * Puts a SageMaker Model Package State Change event on the default bus: the synthesized rules
   * start the model's promotion machine once per delivery, never when they do not match it.
   */
  deliverModelEvent(model: string, event: ModelPackageStateChangeEvent, options: ExecutionOptions = {}): Promise<PromotionRun[]> {
    return this.promotion.deliver(model, event, options);
  }

  /** Delivers the state change event of the model's `version` as it is now (registered, or its approval changed). */
  modelVersionChanged(model: string, version: number, options: ExecutionOptions = {}): Promise<PromotionRun[]> {
    return this.promotion.versionChanged(model, version, options);
  }

  /** The lineage of the ML model's newest prediction for a key (`models lineage`), or the batches there are. */
  predictionLineage(model: string, key: string): Promise<LineageResult> {
    return this.lineage.trace(model, key);
  }

  /** The ML model's run records in the audit zone, newest first. */
  trainingRuns(model: string): Promise<TrackedTrainingRun[]> {
    return this.training.runs(model);
  }
}
