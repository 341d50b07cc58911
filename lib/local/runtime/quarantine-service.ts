/**
 * `lakehouse quarantine` offline: the quarantined deliveries with the status of their latest
 * release, and the release of one, which runs its landed original through its pipeline again with
 * the input of the execution that first ran it (the same landing time, so the same ingest date and
 * freshness verdict) and records who released it, when, what the previous report said and the new
 * outcome in the audit zone.
 */
import { HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { pipelineStateMachineName } from '../../config/names.ts';
import { deliveryFileId } from '../../ingest/delivery-file-id.ts';
import { parseLandedFileEvent, type LandedFileEvent } from '../../ingest/landed-file-event.ts';
import { retentionTagging } from '../../ingest/retention-tagging.ts';
import { putText } from '../../ingest/s3-objects.ts';
import type { ValidationReport } from '../../validation/report.ts';
import type { ExecutionRecord } from './execution-registry.ts';
import type { LocalServices } from './local-services.ts';
import type { PipelineRun, PipelineService } from './pipeline-service.ts';
import { listQuarantined, type QuarantinedDelivery } from './quarantine-zone.ts';
import { releaseKey, releasedFileId, releasePrefix, type ReleaseRecord } from './release-record.ts';
import { ReleaseError } from './runtime-errors.ts';
import { stateMachineNamed } from './synthesized-environment.ts';
import { listKeys, readJsonObject } from './zone-objects.ts';

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

export class QuarantineService {
  constructor(
    private readonly services: LocalServices,
    private readonly pipelines: PipelineService,
  ) {}

  /** Quarantined deliveries of one dataset or all, with the status of their latest release. */
  async quarantined(ref?: string): Promise<QuarantineEntry[]> {
    const { environment, s3, buckets } = this.services;
    const datasets = ref === undefined ? environment.catalog.domains.flatMap((domain) => domain.datasets) : [this.services.dataset(ref)];
    const deliveries = await listQuarantined(s3.client, buckets.quarantine, datasets);
    const released = new Map<string, string>();
    for (const dataset of datasets) {
      for (const key of await listKeys(s3.client, buckets.audit, releasePrefix(dataset))) {
        const fileId = releasedFileId(dataset, key);
        if (fileId === undefined) continue;
        released.set(fileId, (await readJsonObject<ReleaseRecord>(s3.client, buckets.audit, key)).outcome.status);
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
    const { environment, s3, buckets, executions, paths } = this.services;
    const delivery = (await this.quarantined()).find((candidate) => candidate.fileId === fileId);
    if (delivery === undefined) throw new ReleaseError(`no quarantined delivery has id '${fileId}' (\`lakehouse quarantine list\` shows them)`);
    const dataset = this.services.dataset(delivery.dataset);
    const pipelineArn = (await stateMachineNamed(environment, pipelineStateMachineName(environment.identity, dataset))).arn;
    const original = executions.executionsOf(pipelineArn).findLast((execution) => ranDelivery(execution, fileId));
    if (original === undefined) {
      throw new ReleaseError(`no execution in ${paths.executions} ran delivery '${fileId}': its landing event is unknown`);
    }
    const input = parseLandedFileEvent(original.input);
    await this.checkLanded(input, fileId);
    const previous = await readJsonObject<ValidationReport>(s3.client, buckets.quarantine, delivery.reportKey);
    const run = await this.pipelines.runPipeline(dataset, input);
    const releasedAt = new Date();
    const record: ReleaseRecord = {
      releaseVersion: 1,
      dataset: dataset.names.ref,
      fileId,
      file: delivery.file,
      releasedBy,
      releasedAt: releasedAt.toISOString(),
      previousReport: {
        key: `s3://${buckets.quarantine}/${delivery.reportKey}`,
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
    await putText(s3.client, { bucket: buckets.audit, key: recordKey }, `${JSON.stringify(record, null, 2)}\n`, {
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
      head = await this.services.s3.client.send(new HeadObjectCommand({ Bucket: input.bucket, Key: input.key, VersionId: input.versionId }));
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
}
