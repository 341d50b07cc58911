import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Dataset } from '../../lib/contracts/model.ts';
import { parseLandedFileEvent } from '../../lib/ingest/landed-file-event.ts';
import { processLandedFile, type ValidationOutcome, type ZoneBuckets } from '../../lib/ingest/process-landed-file.ts';
import { publishValidationMetrics } from '../../lib/ingest/validation-metrics.ts';

export interface ValidateHandlerDependencies {
  /** The one dataset this function validates. */
  readonly dataset: Dataset;
  readonly s3: S3Client;
  readonly buckets: ZoneBuckets;
  /** Environment name from `cdk.json`, e.g. `dev`. */
  readonly environment: string;
  /** Where files are downloaded and DuckDB keeps its home and spill files. @default os.tmpdir() */
  readonly scratchDirectory?: string;
  /** @default a Powertools logger writing JSON lines to stdout */
  readonly logger?: Logger;
}

/** Takes the untyped invocation payload `{ bucket, key, versionId?, eventTime? }`. */
export type ValidateHandler = (input: unknown) => Promise<ValidationOutcome>;

/**
 * The validator's handler, built from what it depends on: the Lambda entry point passes the
 * bundled dataset and a default S3 client; the offline runtime passes its own.
 */
export function createValidateHandler(dependencies: ValidateHandlerDependencies): ValidateHandler {
  const { dataset, s3, buckets, environment, scratchDirectory } = dependencies;
  const logger =
    dependencies.logger ?? new Logger({ serviceName: 'lakehouse-validator', persistentKeys: { environment, dataset: dataset.names.ref } });
  return async (input) => {
    const event = parseLandedFileEvent(input);
    logger.info('validating landed file', { bucket: event.bucket, key: event.key, versionId: event.versionId ?? null });
    try {
      const { outcome, report, landedFileUntagged } = await processLandedFile({
        s3,
        dataset,
        buckets,
        event,
        ...(scratchDirectory !== undefined && { scratchDirectory }),
      });
      publishValidationMetrics(report, { environment, dataset });
      if (landedFileUntagged !== undefined) {
        logger.warn('landed file not tagged with its retention class: it is kept until deleted by hand', {
          bucket: event.bucket,
          key: event.key,
          versionId: event.versionId ?? null,
          reason: landedFileUntagged,
        });
      }
      logger.info(outcome.passed ? 'file passed its contract' : 'file broke its contract', { ...outcome });
      return outcome;
    } catch (error) {
      logger.error('validation did not complete', error as Error);
      throw error;
    }
  };
}
