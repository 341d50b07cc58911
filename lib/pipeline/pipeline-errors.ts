/** Error names the pipeline raises or reacts to, read by its states in the cloud and by the local runtime alike. */

/** Athena puts this in a failed query's reason when another writer committed to the Iceberg table first. */
export const ICEBERG_COMMIT_CONFLICT = 'ICEBERG_COMMIT_ERROR';

/** Errors the pipeline itself raises in its `Fail` states and alerts. */
export const PIPELINE_ERRORS = {
  fileRejected: 'Pipeline.FileRejected',
  failed: 'Pipeline.Failed',
  lockNotAcquired: 'Pipeline.LockNotAcquired',
} as const;
