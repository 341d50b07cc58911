/** A request the lake cannot serve: a bad name, a missing table or snapshot, a corrupt manifest. */
export class LakeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LakeError';
  }
}

/**
 * Another writer committed first: the table moved past the snapshot this change was built on.
 * Nothing of this change was published; build it again on the new current snapshot and retry,
 * as the pipeline does after an Iceberg commit conflict.
 */
export class CommitConflictError extends LakeError {
  readonly table: string;
  readonly sequence: number;

  constructor(table: string, sequence: number, reason: string) {
    super(`commit conflict on ${table}: ${reason}; rebuild the change on the current snapshot and retry`);
    this.name = 'CommitConflictError';
    this.table = table;
    this.sequence = sequence;
  }
}
