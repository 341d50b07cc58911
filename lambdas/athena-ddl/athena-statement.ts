/** Runs one Athena statement to the end: DDL has no `.sync` integration outside Step Functions. */
import { type AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';

/** The part of an `AthenaClient` a statement uses, so tests can stand in for the network. */
export type AthenaSend = Pick<AthenaClient, 'send'>;

export interface StatementOptions {
  readonly workGroup: string;
  /**
   * Athena's idempotency token (32 to 128 characters): a retried invocation with the same token
   * gets the query it already started instead of running the DDL twice.
   */
  readonly clientRequestToken: string;
}

export interface PollOptions {
  readonly sleep: (milliseconds: number) => Promise<void>;
  readonly pollIntervalMs: number;
  /** Gives up waiting (the statement may still finish) after this long. */
  readonly maxWaitMs: number;
}

/**
 * Athena's answer to a statement that did not succeed, with its reason. The statement is a field,
 * not part of the message: a table's DDL can be longer than CloudFormation's whole failure response.
 */
export class AthenaStatementError extends Error {
  constructor(
    readonly queryExecutionId: string,
    readonly state: string,
    reason: string,
    readonly statement: string,
  ) {
    super(`Athena query ${queryExecutionId} ended ${state}: ${reason}`);
    this.name = 'AthenaStatementError';
  }
}

const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Starts the statement and waits for it; resolves with the query execution id when it succeeded.
 * Throttling (`TooManyRequestsException`) and server errors are retried by the client's own retry
 * strategy; this loop only waits for the query to finish.
 */
export async function runAthenaStatement(athena: AthenaSend, statement: string, options: StatementOptions, poll: PollOptions): Promise<string> {
  const started = await athena.send(
    new StartQueryExecutionCommand({ QueryString: statement, WorkGroup: options.workGroup, ClientRequestToken: options.clientRequestToken }),
  );
  const id = started.QueryExecutionId;
  if (id === undefined) throw new Error(`Athena StartQueryExecution returned no QueryExecutionId for: ${statement}`);
  for (let waited = 0; ; waited += poll.pollIntervalMs) {
    const answer = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const status = answer.QueryExecution?.Status ?? {};
    const state = status.State ?? 'UNKNOWN';
    if (state === 'SUCCEEDED') return id;
    if (FINISHED.has(state)) {
      throw new AthenaStatementError(id, state, status.AthenaError?.ErrorMessage ?? status.StateChangeReason ?? 'no reason given', statement);
    }
    if (waited >= poll.maxWaitMs) {
      throw new AthenaStatementError(id, state, `still ${state} after ${Math.round(poll.maxWaitMs / 1000)} s`, statement);
    }
    await poll.sleep(poll.pollIntervalMs);
  }
}
