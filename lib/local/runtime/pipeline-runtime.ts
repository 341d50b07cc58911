/**
 * The offline pipeline runtime: one environment's synthesized state machines executed in the local
 * interpreter against a local S3 server (data under `.lake/s3`) and the local lake (`.lake/tables`),
 * every Task overridden by a local stand-in of its service. What a run leaves behind is what the
 * cloud would: the landed file, the validator's outputs and report, the silver table's snapshot,
 * alerts, events and metrics.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { HeadObjectCommand, type HeadObjectCommandOutput, PutObjectCommand } from '@aws-sdk/client-s3';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  bucketName,
  glueDatabaseName,
  maintenanceStateMachineName,
  pipelineStateMachineName,
  silverTableName,
  ZONES,
  type Zone,
} from '../../config/names.ts';
import { PIPELINE_ERRORS } from '../../pipeline/pipeline-errors.ts';
import { validatorFunctionName } from '../../config/names.ts';
import type { Dataset, Domain } from '../../contracts/model.ts';
import { deliveryFileId } from '../../ingest/delivery-file-id.ts';
import { parseLandedFileEvent, type LandedFileEvent } from '../../ingest/landed-file-event.ts';
import type { ValidationOutcome, ZoneBuckets } from '../../ingest/process-landed-file.ts';
import { retentionTagging } from '../../ingest/retention-tagging.ts';
import { putText } from '../../ingest/s3-objects.ts';
import { loadStep } from '../../pipeline/load-step.ts';
import { domainGoldTables, domainSilverTables } from '../../pipeline/maintenance-steps.ts';
import { PIPELINE_STATES } from '../../pipeline/state-names.ts';
import { quoteIdentifier } from '../../sql/ansi.ts';
import { compileTransforms } from '../../transforms/compile.ts';
import { ownedTableNames } from '../../transforms/gold-table.ts';
import type { ValidationReport } from '../../validation/report.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { openLocalDuckDb } from '../local-duckdb.ts';
import { currentProcess } from '../process-identity.ts';
import { startS3Server, type S3Server } from '../s3-server.ts';
import type { SynthesizedStateMachine } from '../stepfunctions/definitions.ts';
import type { JsonValue } from '../stepfunctions/json.ts';
import { runStateMachine, type ExecutionResult, type ExecutionStatus } from '../stepfunctions/run.ts';
import type { TaskHandler } from '../stepfunctions/task-handlers.ts';
import { claimScratch, releaseScratch } from '../scratch.ts';
import { workspaceAt } from '../workspace.ts';
import { ExecutionRegistry, type ExecutionRecord } from './execution-registry.ts';
import { ExecutionTrace, type StateVisit } from './execution-trace.ts';
import { taskHandlersFor, type LocalIntegrations } from './integrations.ts';
import { LocalAthena } from './local-athena.ts';
import { LocalLockTable } from './local-lock-table.ts';
import { LocalNotifications } from './local-notifications.ts';
import { loadQuery } from './load-query.ts';
import { maintenanceQuery } from './maintenance-query.ts';
import { listQuarantined, type QuarantinedDelivery } from './quarantine-zone.ts';
import { releaseKey, releasedFileId, releasePrefix, type ReleaseRecord } from './release-record.ts';
import { ReleaseError } from './runtime-errors.ts';
import { runtimePaths, type RuntimePaths } from './runtime-paths.ts';
import { ensureSilverTable } from './silver-table-owner.ts';
import { findDataset, stateMachineNamed, type SynthesizedEnvironment } from './synthesized-environment.ts';
import { validatorTask, type ValidatorResponse } from './validator-task.ts';
import { listKeys, readJsonObject } from './zone-objects.ts';

export interface LocalPipelineRuntimeOptions {
  /** The folder holding `cdk.json`. */
  readonly projectRoot: string;
  /** The workspace folder. @default `<projectRoot>/.lake` */
  readonly workspace?: string;
  /**
   * Which environment's definitions and names to use, its app synthesized by the caller
   * (`openOfflineEnvironment` in lib/cli): the runtime never builds constructs.
   */
  readonly synthesized: SynthesizedEnvironment;
  /** Receives progress and notification lines (the CLI passes stderr). @default nothing is said */
  readonly log?: (line: string) => void;
  /** Pause before every retry, instead of the definition's seconds of backoff. @default 10 */
  readonly retryPauseMs?: number;
  /** Milliseconds every Wait state waits, instead of the definition's (a held lock is waited for). @default 1000 */
  readonly waitPauseMs?: number;
}

export interface ExecutionOptions {
  /**
   * Wraps each Task's handler, by state name. For tests only: it injects a service error (an Athena
   * throttle, a failed query) into one state of a real run.
   */
  readonly wrapTask?: (state: string, handler: TaskHandler) => TaskHandler;
}

export interface RunOptions extends ExecutionOptions {
  /** The landing event's time: the delivery's ingest date, and what freshness is measured against. @default now */
  readonly ingestTime?: Date;
}

/** What one pipeline execution did, for the CLI's summary and `--json`. */
export interface PipelineRun {
  readonly status: ExecutionStatus;
  readonly error?: string;
  readonly cause?: string;
  /** The execution failed because no row of the file met its contract. */
  readonly rejected: boolean;
  /** The state machine's name. */
  readonly stateMachine: string;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  /** The landed file, `s3://<landing bucket>/<key>`. */
  readonly file: string;
  readonly fileId?: string;
  readonly ingestDate?: string;
  readonly executionArn: string;
  readonly states: readonly StateVisit[];
  readonly visitedStates: readonly string[];
  readonly rowsLoaded: number;
  readonly rowsQuarantined: number;
  /** The report's key in the audit bucket. */
  readonly reportKey?: string;
  /** The file under `.lake/s3` holding the report. */
  readonly reportPath?: string;
  /** The silver table as Athena names it: `"<database>"."<table>"`. */
  readonly table: string;
  readonly tablePath: string;
}

export interface MaintenanceRun {
  readonly status: ExecutionStatus;
  readonly error?: string;
  readonly cause?: string;
  readonly domain: string;
  readonly stateMachine: string;
  readonly executionArn: string;
  readonly states: readonly StateVisit[];
  readonly visitedStates: readonly string[];
}

export interface QuarantineEntry extends QuarantinedDelivery {
  /** The status of the latest release of this delivery, if it was released. */
  readonly released?: string;
}

export interface Release {
  readonly run: PipelineRun;
  readonly record: ReleaseRecord;
  /** Where the record is, in the audit bucket. */
  readonly recordKey: string;
}

interface ExecutionPlan {
  readonly machine: SynthesizedStateMachine;
  readonly input: JsonValue;
  /** The services the machine's Tasks call besides the shared ones. */
  readonly integrations: LocalIntegrations;
  /** The delivery's file id, once the execution ended (undefined when it has none). */
  readonly fileId: () => string | undefined;
}

/**
 * Whether a pipeline execution ran a delivery. Its landing event names the landed version, so the
 * file id follows from the input alone; the id the validator returned is only recorded when the
 * validator got that far, which a crash after the quarantine copy or a kill after Validate
 * prevents. An event without a version id was identified by the ETag the validator read, so only
 * the recorded id names it.
 */
function ranDelivery(execution: ExecutionRecord, fileId: string): boolean {
  if (execution.fileId === fileId) return true;
  const input = parseLandedFileEvent(execution.input);
  return input.versionId !== undefined && deliveryFileId(input) === fileId;
}

function compactTime(instant: Date): string {
  return instant.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function quoted(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

export class LocalPipelineRuntime {
  readonly environment: SynthesizedEnvironment;
  readonly paths: RuntimePaths;
  readonly lake: LocalLake;
  readonly s3: S3Server;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly executions: ExecutionRegistry;
  readonly locks: LocalLockTable;
  private readonly notifications: LocalNotifications;
  private readonly athena = new LocalAthena();
  private readonly say: (line: string) => void;

  private constructor(
    private readonly options: LocalPipelineRuntimeOptions,
    environment: SynthesizedEnvironment,
    paths: RuntimePaths,
    s3: S3Server,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly scratch: string,
  ) {
    this.environment = environment;
    this.paths = paths;
    this.s3 = s3;
    this.lake = new LocalLake(paths.root);
    this.buckets = Object.fromEntries(ZONES.map((zone) => [zone, bucketName(environment.identity, zone)])) as Record<Zone, string>;
    this.executions = new ExecutionRegistry(paths.executions);
    this.locks = new LocalLockTable(paths.locks);
    this.say = options.log ?? (() => undefined);
    this.notifications = new LocalNotifications(paths);
  }

  /**
   * Starts the local S3 server with every zone bucket of the environment by its real name. The
   * environment's app is synthesized when a state machine first runs.
   */
  static async start(options: LocalPipelineRuntimeOptions): Promise<LocalPipelineRuntime> {
    const projectRoot = resolve(options.projectRoot);
    const environment = options.synthesized;
    const paths = runtimePaths(workspaceAt(options.workspace ?? join(projectRoot, '.lake')));
    const s3 = await startS3Server({
      directory: paths.s3,
      buckets: ZONES.map((zone) => bucketName(environment.identity, zone)),
      region: environment.identity.region,
    });
    // Copies of landed and validated files, and DuckDB's spill files, stay in the workspace and go with this runtime.
    const scratch = claimScratch(paths);
    // Executions of processes killed meanwhile are stopped for good: their locks can be taken over.
    new ExecutionRegistry(paths.executions).markAbandoned();
    // Bounded memory: a load spills to the scratch folder instead of growing with the table.
    const { instance, connection } = await openLocalDuckDb(scratch);
    return new LocalPipelineRuntime(options, environment, paths, s3, instance, connection, scratch);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await this.s3.close();
    releaseScratch(this.scratch);
  }

  /** `<domain>/<dataset>`, or `UnknownDatasetError` with a did-you-mean. */
  dataset(ref: string): Dataset {
    return findDataset(this.environment.catalog, ref);
  }

  database(dataset: Pick<Dataset, 'domain'>): string {
    return glueDatabaseName(this.environment.identity, dataset.domain);
  }

  /** Rows in the dataset's silver table now (0 before its first load). */
  tableRowCount(dataset: Dataset): number {
    const database = this.database(dataset);
    const table = silverTableName(dataset);
    return this.lake.hasTable(database, table) ? this.lake.currentSnapshot(database, table).summary.totalRows : 0;
  }

  /**
   * Puts a local file in the landing zone at `<domain>/<dataset>/<file name>`, as delivered: no
   * tags. The landing bucket is versioned, so each put is its own delivery, named by its version.
   */
  async land(dataset: Dataset, file: string): Promise<{ readonly bucket: string; readonly key: string; readonly versionId: string }> {
    const bucket = this.buckets.landing;
    const key = `${dataset.names.landingPrefix}${basename(file)}`;
    const { size } = await stat(file);
    const { VersionId } = await this.s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
    );
    if (VersionId === undefined) throw new Error(`s3://${bucket}/${key}: the local S3 server answered no version id for the delivery`);
    return { bucket, key, versionId: VersionId };
  }

  /** Lands `file` for the dataset and runs its pipeline with the landing event S3 would send: bucket, key, version, time. */
  async run(ref: string, file: string, options: RunOptions = {}): Promise<PipelineRun> {
    const dataset = this.dataset(ref);
    const landed = await this.land(dataset, file);
    return this.runPipeline(dataset, { ...landed, eventTime: (options.ingestTime ?? new Date()).toISOString() }, options);
  }

  /** Runs the dataset's synthesized pipeline for a landed object, as its domain's router would start it. */
  async runPipeline(dataset: Dataset, input: LandedFileEvent, options: ExecutionOptions = {}): Promise<PipelineRun> {
    const { identity } = this.environment;
    const database = this.database(dataset);
    const table = silverTableName(dataset);
    ensureSilverTable(this.lake, database, dataset);
    let outcome: ValidationOutcome | undefined;
    const integrations: LocalIntegrations = {
      'lambda:invoke': () => this.validator(dataset, 'lambda-invoke', (value) => (outcome = value)),
      'lambda:function': () => this.validator(dataset, 'payload', (value) => (outcome = value)),
      'athena:startQueryExecution.sync': (state) => {
        if (state.name !== PIPELINE_STATES.load) {
          throw new Error(`state ${state.name} runs an Athena query the pipeline of ${dataset.names.ref} has no compiled step for`);
        }
        const query = loadQuery({
          dataset,
          step: loadStep(dataset, { database }),
          lake: this.lake,
          connection: this.connection,
          s3: this.s3.client,
          validatedBucket: this.buckets.validated,
          landingKey: input.key,
          scratchDirectory: this.scratch,
        });
        return (request) => this.athena.startQueryExecutionSync(request, query);
      },
    };
    const machine = await stateMachineNamed(this.environment, pipelineStateMachineName(identity, dataset));
    const { result, executionArn, trace } = await this.execute(
      { machine, input: { ...input }, integrations, fileId: () => outcome?.fileId },
      options,
    );
    const loaded = result.status === 'SUCCEEDED' && result.visitedStates.includes(PIPELINE_STATES.load);
    return {
      status: result.status,
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
      rejected: result.error === PIPELINE_ERRORS.fileRejected,
      stateMachine: machine.name,
      dataset: dataset.names.ref,
      file: `s3://${input.bucket}/${input.key}`,
      ...(outcome === undefined
        ? {}
        : {
            fileId: outcome.fileId,
            ingestDate: outcome.ingestDate,
            reportKey: outcome.reportKey,
            reportPath: this.s3.objectPath(this.buckets.audit, outcome.reportKey),
          }),
      executionArn,
      states: trace.visits,
      visitedStates: result.visitedStates,
      rowsLoaded: loaded ? (outcome?.rowsPassed ?? 0) : 0,
      rowsQuarantined: outcome?.rowsQuarantined ?? 0,
      table: quoted(database, table),
      tablePath: this.lake.tableDirectory(database, table),
    };
  }

  /** Runs a domain's synthesized maintenance state machine: retention deletes, compaction and snapshot expiry on the local lake. */
  async maintain(domainName: string, options: ExecutionOptions = {}): Promise<MaintenanceRun> {
    const { identity, catalog } = this.environment;
    const domain: Domain | undefined = catalog.domains.find((candidate) => candidate.name === domainName);
    if (domain === undefined) {
      throw new Error(`no domain '${domainName}' in the contracts (domains: ${catalog.domains.map((candidate) => candidate.name).join(', ')})`);
    }
    for (const dataset of domain.datasets) ensureSilverTable(this.lake, this.database(dataset), dataset);
    const goldTables = compileTransforms(catalog)
      .models.filter((model) => model.domain === domain.name)
      .flatMap(ownedTableNames);
    const tables = [...domainSilverTables(identity, domain), ...domainGoldTables(glueDatabaseName(identity, domain.name), goldTables)];
    const context = { tables, lake: this.lake, connection: this.connection, now: () => new Date() };
    const integrations: LocalIntegrations = {
      'athena:startQueryExecution.sync': (state) => (request) => this.athena.startQueryExecutionSync(request, maintenanceQuery(context, state.name)),
    };
    const machine = await stateMachineNamed(this.environment, maintenanceStateMachineName(identity, domain.name));
    const { result, executionArn, trace } = await this.execute({ machine, input: {}, integrations, fileId: () => undefined }, options);
    return {
      status: result.status,
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
      domain: domain.name,
      stateMachine: machine.name,
      executionArn,
      states: trace.visits,
      visitedStates: result.visitedStates,
    };
  }

  /** Quarantined deliveries of one dataset or all, with the status of their latest release. */
  async quarantined(ref?: string): Promise<QuarantineEntry[]> {
    const datasets = ref === undefined ? this.environment.catalog.domains.flatMap((domain) => domain.datasets) : [this.dataset(ref)];
    const deliveries = await listQuarantined(this.s3.client, this.buckets.quarantine, datasets);
    const released = new Map<string, string>();
    for (const dataset of datasets) {
      for (const key of await listKeys(this.s3.client, this.buckets.audit, releasePrefix(dataset))) {
        const fileId = releasedFileId(dataset, key);
        if (fileId === undefined) continue;
        released.set(fileId, (await readJsonObject<ReleaseRecord>(this.s3.client, this.buckets.audit, key)).outcome.status);
      }
    }
    return deliveries.map((delivery) => {
      const status = released.get(delivery.fileId);
      return status === undefined ? delivery : { ...delivery, released: status };
    });
  }

  /**
   * Runs a quarantined delivery through its pipeline again with the current contract (after the
   * contract was fixed), with the input of the execution that first ran it, and records the
   * release in the audit zone.
   */
  async release(fileId: string, releasedBy: string): Promise<Release> {
    const delivery = (await this.quarantined()).find((candidate) => candidate.fileId === fileId);
    if (delivery === undefined) throw new ReleaseError(`no quarantined delivery has id '${fileId}' (\`lakehouse quarantine list\` shows them)`);
    const dataset = this.dataset(delivery.dataset);
    const pipelineArn = (await stateMachineNamed(this.environment, pipelineStateMachineName(this.environment.identity, dataset))).arn;
    const original = this.executions.executionsOf(pipelineArn).findLast((execution) => ranDelivery(execution, fileId));
    if (original === undefined) {
      throw new ReleaseError(`no execution in ${this.paths.executions} ran delivery '${fileId}': its landing event is unknown`);
    }
    const input = parseLandedFileEvent(original.input);
    await this.checkLanded(input, fileId);
    const previous = await readJsonObject<ValidationReport>(this.s3.client, this.buckets.quarantine, delivery.reportKey);
    const run = await this.runPipeline(dataset, input);
    const releasedAt = new Date();
    const record: ReleaseRecord = {
      releaseVersion: 1,
      dataset: dataset.names.ref,
      fileId,
      file: delivery.file,
      releasedBy,
      releasedAt: releasedAt.toISOString(),
      previousReport: {
        key: `s3://${this.buckets.quarantine}/${delivery.reportKey}`,
        contractVersion: previous.contractVersion,
        passed: previous.passed,
        rowCount: previous.rowCount,
        rowsPassed: previous.rowsPassed,
        rowsQuarantined: previous.rowsQuarantined,
        failedRules: delivery.failedRules,
      },
      outcome: {
        status: run.status,
        ...(run.error === undefined ? {} : { error: run.error }),
        execution: run.executionArn,
        contractVersion: dataset.contract.version,
        rowsLoaded: run.rowsLoaded,
        rowsQuarantined: run.rowsQuarantined,
        ...(run.reportKey === undefined ? {} : { reportKey: run.reportKey }),
      },
    };
    const recordKey = releaseKey(dataset, fileId, releasedAt);
    await putText(this.s3.client, { bucket: this.buckets.audit, key: recordKey }, `${JSON.stringify(record, null, 2)}\n`, {
      contentType: 'application/json',
      tagging: retentionTagging(dataset),
    });
    return { run, record, recordKey };
  }

  /**
   * The landed version the delivery names is still there. A delivery run before the local S3
   * server kept versions is named by its ETag, so a later delivery of its key replaced it.
   */
  private async checkLanded(input: LandedFileEvent, fileId: string): Promise<void> {
    const file = `s3://${input.bucket}/${input.key}`;
    let head: HeadObjectCommandOutput;
    try {
      head = await this.s3.client.send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key, VersionId: input.versionId }));
    } catch (error) {
      if ((error as Error).name !== 'NotFound') throw error;
      const version = input.versionId === undefined ? '' : ` version ${input.versionId}`;
      throw new ReleaseError(`${file}${version}, landed as '${fileId}', is no longer in the landing zone`);
    }
    const etag = head.ETag === undefined ? {} : { etag: head.ETag };
    if (input.versionId === undefined && deliveryFileId({ bucket: input.bucket, key: input.key, ...etag }) !== fileId) {
      throw new ReleaseError(
        `${file} was delivered again since '${fileId}', landed without a version id, was quarantined: run the new delivery with \`lakehouse run\` instead`,
      );
    }
  }

  private zoneBuckets(): ZoneBuckets {
    const { landing, validated, quarantine, audit } = this.buckets;
    return { landing, validated, quarantine, audit };
  }

  private validator(dataset: Dataset, response: ValidatorResponse, onOutcome: (outcome: ValidationOutcome) => void): TaskHandler {
    const functionName = validatorFunctionName(this.environment.identity, dataset);
    return validatorTask(
      {
        dataset,
        functionName,
        s3: this.s3.client,
        buckets: this.zoneBuckets(),
        environment: this.environment.identity.environment,
        scratchDirectory: this.scratch,
        logFile: join(this.paths.functionLogs, `${functionName}.log`),
        onOutcome,
      },
      response,
    );
  }

  /** The services every state machine may call: locks, executions, notifications, query results. */
  private sharedIntegrations(trace: ExecutionTrace): LocalIntegrations {
    return {
      'athena:getQueryResults': () => (request) => this.athena.getQueryResults(request),
      'dynamodb:putItem': () => (request) => this.locks.putItem(request),
      'dynamodb:getItem': () => (request) => this.locks.getItem(request),
      'dynamodb:deleteItem': () => (request) => this.locks.deleteItem(request),
      'sns:publish': (state) => (request) => this.notifications.publish(request, trace.noteFor(state.name)),
      'events:putEvents': (state) => (request) => this.notifications.putEvents(request, trace.noteFor(state.name)),
      'cloudwatch:putMetricData': (state) => (request) => this.notifications.putMetricData(request, trace.noteFor(state.name)),
      'sfn:describeExecution': () => (request) => this.executions.describeExecution(request),
    };
  }

  /** One execution, recorded in the registry while it runs and after, its progress told as it goes. */
  private async execute(
    plan: ExecutionPlan,
    options: ExecutionOptions,
  ): Promise<{ result: ExecutionResult; executionArn: string; trace: ExecutionTrace }> {
    const { machine, input } = plan;
    const { definition } = machine;
    const trace = new ExecutionTrace(this.say);
    const integrations = { ...this.sharedIntegrations(trace), ...plan.integrations };
    const handlers = taskHandlersFor(definition, integrations, options.wrapTask);
    const name = `${compactTime(new Date())}-${randomUUID().slice(0, 8)}`;
    const executionArn = ExecutionRegistry.executionArn(machine.arn, name);
    const started = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      startDate: new Date().toISOString(),
      pid: process.pid,
      processStart: currentProcess().start,
      input,
    };
    this.executions.record({ ...started, status: 'RUNNING' });
    this.say(`${machine.name}: execution ${name}`);
    let result: ExecutionResult;
    try {
      result = await runStateMachine({
        definition,
        input,
        handlers,
        onEvent: trace.onEvent,
        retryPauseMs: this.options.retryPauseMs ?? 10,
        waitPauseMs: this.options.waitPauseMs ?? 1000,
        executionName: name,
        stateMachineArn: machine.arn,
      });
    } catch (error) {
      this.executions.record({ ...started, status: 'FAILED', stopDate: new Date().toISOString() });
      throw error;
    }
    const id = plan.fileId();
    this.executions.record({ ...started, status: result.status, stopDate: new Date().toISOString(), ...(id === undefined ? {} : { fileId: id }) });
    return { result, executionArn, trace };
  }
}
