/**
 * Athena's Step Functions integration offline. A Task's query string is the Athena rendering of
 * a compiled step; the caller runs the same step's DuckDB rendering (`OfflineQuery`), and this
 * answers as the integration does: `startQueryExecution.sync` returns `{QueryExecution}` once the
 * query SUCCEEDED or fails the Task with `States.TaskFailed` and the failed execution as its cause
 * (an Iceberg commit conflict reads `ICEBERG_COMMIT_ERROR`, which the pipeline retries with a new
 * token); `getQueryResults` returns the `ResultSet` with its header row. A request token already
 * used returns its execution again instead of running the query twice, as Athena does.
 */
import { randomUUID } from 'node:crypto';
import { ICEBERG_COMMIT_CONFLICT } from '../../pipeline/pipeline-errors.ts';
import { CommitConflictError } from '../lake/lake-errors.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

/** What a query returned: rows for a SELECT, nothing for DDL and DML. */
export interface QueryOutcome {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** Runs the DuckDB rendering of the step whose Athena rendering `queryString` is. */
export type OfflineQuery = (queryString: string) => Promise<QueryOutcome | undefined>;

/** A query Athena accepted, whether it then succeeded or failed. */
type Settled = { readonly response: JsonObject } | { readonly failure: TaskError };

/** Why a query failed, as Athena words it in `StateChangeReason`. */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof CommitConflictError ? `${ICEBERG_COMMIT_CONFLICT}: ${message}` : message;
}

export class LocalAthena {
  private readonly byToken = new Map<string, Settled>();
  private readonly byExecutionId = new Map<string, QueryOutcome>();
  /** The local lake is queried on one DuckDB connection: queries Athena would run side by side run one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async startQueryExecutionSync(request: JsonValue, run: OfflineQuery): Promise<JsonObject> {
    const reader = new RequestReader('Athena.InvalidRequestException', 'StartQueryExecution');
    const query = reader.string(request, 'QueryString');
    const workGroup = reader.optionalString(request, 'WorkGroup') ?? 'primary';
    const token = reader.optionalString(request, 'ClientRequestToken');
    const earlier = token === undefined ? undefined : this.byToken.get(token);
    const settled = earlier ?? (await this.serialized(() => this.execute(query, workGroup, run)));
    if (token !== undefined) this.byToken.set(token, settled);
    if ('failure' in settled) throw settled.failure;
    return settled.response;
  }

  async getQueryResults(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader('Athena.InvalidRequestException', 'GetQueryResults');
    const id = reader.string(request, 'QueryExecutionId');
    const outcome = this.byExecutionId.get(id);
    if (outcome === undefined) throw reader.invalid(`QueryExecution ${id} was not found`);
    const row = (values: readonly (string | null)[]): JsonObject => ({
      Data: values.map((value): JsonObject => (value === null ? {} : { VarCharValue: value })),
    });
    return {
      ResultSet: {
        Rows: outcome.columns.length === 0 ? [] : [row(outcome.columns), ...outcome.rows.map(row)],
        ResultSetMetadata: { ColumnInfo: outcome.columns.map((name) => ({ Name: name, Label: name, Type: 'varchar' })) },
      },
    };
  }

  private serialized<T>(action: () => Promise<T>): Promise<T> {
    const result = this.queue.then(action);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute(query: string, workGroup: string, run: OfflineQuery): Promise<Settled> {
    const id = randomUUID();
    const submitted = this.now().toISOString();
    const execution = (status: JsonObject): JsonObject => ({
      QueryExecutionId: id,
      Query: query,
      WorkGroup: workGroup,
      Status: { SubmissionDateTime: submitted, CompletionDateTime: this.now().toISOString(), ...status },
    });
    let outcome: QueryOutcome;
    try {
      outcome = (await run(query)) ?? { columns: [], rows: [] };
    } catch (error) {
      // A service error (throttling) means Athena never accepted the query: a retry with the same token must run it.
      if (error instanceof TaskError) throw error;
      const failed = execution({ State: 'FAILED', StateChangeReason: failureReason(error) });
      return { failure: new TaskError('States.TaskFailed', JSON.stringify({ QueryExecution: failed })) };
    }
    this.byExecutionId.set(id, outcome);
    return { response: { QueryExecution: execution({ State: 'SUCCEEDED' }) } };
  }
}
