/**
 * Where a pipeline execution keeps what its states learn, as JSONPaths into the state data. The
 * construct writes these paths into the definition and the load step reads its values from them,
 * so the two cannot disagree. Pure.
 */
import type { LandedFileEvent } from '../ingest/landed-file-event.ts';
import type { ValidationOutcome } from '../ingest/process-landed-file.ts';

/** An execution's input: the landed object, as the domain's router hands it on; it is the validator's input. */
export type PipelineInput = LandedFileEvent;

/** The validator's answer the pipeline keeps (the rest of its Lambda response is dropped). */
export const VALIDATION_FIELDS = [
  'passed',
  'fileId',
  'sourceId',
  'ingestDate',
  'ingestedAt',
  'rowCount',
  'rowsPassed',
  'rowsQuarantined',
  'reportKey',
  'failedRules',
] as const satisfies readonly (keyof ValidationOutcome)[];

export const PIPELINE_PATHS = {
  validation: '$.validation',
  fileId: '$.validation.fileId',
  sourceId: '$.validation.sourceId',
  ingestDate: '$.validation.ingestDate',
  ingestedAt: '$.validation.ingestedAt',
  passed: '$.validation.passed',
  rowCount: '$.validation.rowCount',
  rowsPassed: '$.validation.rowsPassed',
  rowsQuarantined: '$.validation.rowsQuarantined',
  reportKey: '$.validation.reportKey',
  failedRules: '$.validation.failedRules',
  /** `{ token, commitConflicts, lockWaits }`: the current load attempt's request token and the two loop counters. */
  load: '$.load',
  loadToken: '$.load.token',
  commitConflicts: '$.load.commitConflicts',
  lockWaits: '$.load.lockWaits',
  /** The lock item as DynamoDB GetItem returned it. */
  lock: '$.lock',
  lockItem: '$.lock.Item',
  lockHolder: '$.lock.Item.holder.S',
  lockHolderStatus: '$.lockHolder.status',
  lockHolderState: '$.lockHolder',
  loadResult: '$.loadResult',
  /** `{ Error, Cause }` of the failure the pipeline alerts about; `Cause` is optional. */
  failure: '$.failure',
  failureCause: '$.failure.Cause',
  /** `{ runId, startDay }` of the run's OpenLineage events. */
  lineage: '$.lineage',
  /** A lineage event that could not be written, kept in the run's state (a loaded run's output carries it); the run went on. */
  lineageWriteFailure: '$.lineageWriteFailure',
  /** A failure to release the lock on the failure path, kept beside the original failure. */
  lockReleaseFailure: '$.lockReleaseFailure',
  bucket: '$.bucket',
  key: '$.key',
} as const;
