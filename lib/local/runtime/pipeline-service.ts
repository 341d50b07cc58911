/**
 * A dataset's pipeline offline: a file landed in the landing zone as S3 would hold it, then the
 * dataset's synthesized pipeline run on the engine with the landing event, its own Tasks answered
 * by `pipelineTasks`. What a run leaves behind is what the cloud would: the landed file, the
 * validator's outputs and report, the silver table's snapshot, alerts, events and metrics.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { pipelineStateMachineName, silverTableName } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import type { LandedFileEvent } from '../../ingest/landed-file-event.ts';
import type { ValidationOutcome } from '../../ingest/process-landed-file.ts';
import { PIPELINE_ERRORS } from '../../pipeline/pipeline-errors.ts';
import { PIPELINE_STATES } from '../../pipeline/state-names.ts';
import { quoteIdentifier } from '../../sql/ansi.ts';
import type { ExecutionStatus } from '../stepfunctions/run.ts';
import type { ExecutionEngine, ExecutionOptions } from './execution-engine.ts';
import type { StateVisit } from './execution-trace.ts';
import type { LocalServices } from './local-services.ts';
import { pipelineTasks } from './pipeline-tasks.ts';
import { ensureSilverTable } from './silver-table-owner.ts';
import { stateMachineNamed } from './synthesized-environment.ts';

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

export interface LandedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

export class PipelineService {
  constructor(
    private readonly engine: ExecutionEngine,
    private readonly services: LocalServices,
  ) {}

  /** Rows in the dataset's silver table now (0 before its first load). */
  tableRowCount(dataset: Dataset): number {
    const { lake } = this.services;
    const database = this.services.database(dataset);
    const table = silverTableName(dataset);
    return lake.hasTable(database, table) ? lake.currentSnapshot(database, table).summary.totalRows : 0;
  }

  /**
   * Puts a local file in the landing zone at `<domain>/<dataset>/<file name>`, as delivered: no
   * tags. The landing bucket is versioned, so each put is its own delivery, named by its version.
   */
  async land(dataset: Dataset, file: string): Promise<LandedObject> {
    const bucket = this.services.buckets.landing;
    const key = `${dataset.names.landingPrefix}${basename(file)}`;
    const { size } = await stat(file);
    const { VersionId } = await this.services.s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
    );
    if (VersionId === undefined) throw new Error(`s3://${bucket}/${key}: the local S3 server answered no version id for the delivery`);
    return { bucket, key, versionId: VersionId };
  }

  /** Lands `file` for the dataset and runs its pipeline with the landing event S3 would send: bucket, key, version, time. */
  async run(ref: string, file: string, options: RunOptions = {}): Promise<PipelineRun> {
    const dataset = this.services.dataset(ref);
    const landed = await this.land(dataset, file);
    return this.runPipeline(dataset, { ...landed, eventTime: (options.ingestTime ?? new Date()).toISOString() }, options);
  }

  /** Runs the dataset's synthesized pipeline for a landed object, as its domain's router would start it. */
  async runPipeline(dataset: Dataset, input: LandedFileEvent, options: ExecutionOptions = {}): Promise<PipelineRun> {
    const { environment, lake, s3, buckets } = this.services;
    const database = this.services.database(dataset);
    const table = silverTableName(dataset);
    ensureSilverTable(lake, database, dataset);
    let outcome: ValidationOutcome | undefined;
    const integrations = pipelineTasks(this.services, { dataset, input, onOutcome: (value) => (outcome = value) });
    const machine = await stateMachineNamed(environment, pipelineStateMachineName(environment.identity, dataset));
    const { result, executionArn, trace } = await this.engine.execute(
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
            reportPath: s3.objectPath(buckets.audit, outcome.reportKey),
          }),
      executionArn,
      states: trace.visits,
      visitedStates: result.visitedStates,
      rowsLoaded: loaded ? (outcome?.rowsPassed ?? 0) : 0,
      rowsQuarantined: outcome?.rowsQuarantined ?? 0,
      table: `${quoteIdentifier(database)}.${quoteIdentifier(table)}`,
      tablePath: lake.tableDirectory(database, table),
    };
  }
}
