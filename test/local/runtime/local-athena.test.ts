import { describe, expect, it } from 'vitest';
import { CommitConflictError } from '../../../lib/local/lake/lake-errors.ts';
import { failureReason, LocalAthena } from '../../../lib/local/runtime/local-athena.ts';
import { TaskError } from '../../../lib/local/stepfunctions/task-error.ts';

const request = (token?: string) => ({ QueryString: 'SELECT 1', WorkGroup: 'acme-dev-sales', ...(token === undefined ? {} : { ClientRequestToken: token }) });

describe("Athena's Step Functions integration, offline", () => {
  it('answers startQueryExecution.sync with the succeeded QueryExecution', async () => {
    const response = await new LocalAthena().startQueryExecutionSync(request(), async () => undefined);
    expect(response).toMatchObject({
      QueryExecution: { QueryExecutionId: expect.any(String), Query: 'SELECT 1', WorkGroup: 'acme-dev-sales', Status: { State: 'SUCCEEDED' } },
    });
  });

  it('runs a query once per request token and answers a repeat with the same execution', async () => {
    const athena = new LocalAthena();
    let runs = 0;
    const query = async () => {
      runs += 1;
      return undefined;
    };
    const first = await athena.startQueryExecutionSync(request('token-1'), query);
    expect(await athena.startQueryExecutionSync(request('token-1'), query)).toEqual(first);
    await athena.startQueryExecutionSync(request('token-2'), query);
    expect(runs).toBe(2);
  });

  it('fails the Task with States.TaskFailed and the failed execution as cause, also for a repeated token', async () => {
    const athena = new LocalAthena();
    const failing = async () => {
      throw new Error('TABLE_NOT_FOUND: Table acme_dev_sales.orders does not exist');
    };
    const failure = await athena.startQueryExecutionSync(request('token'), failing).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TaskError);
    expect((failure as TaskError).name).toBe('States.TaskFailed');
    expect(JSON.parse((failure as TaskError).message)).toMatchObject({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: Table acme_dev_sales.orders does not exist' } },
    });
    await expect(athena.startQueryExecutionSync(request('token'), async () => undefined)).rejects.toBe(failure);
  });

  it('passes a service error through without settling the token, so the retry runs the query', async () => {
    const athena = new LocalAthena();
    await expect(
      athena.startQueryExecutionSync(request('token'), async () => {
        throw new TaskError('Athena.TooManyRequestsException', 'Rate exceeded');
      }),
    ).rejects.toMatchObject({ name: 'Athena.TooManyRequestsException' });
    await expect(athena.startQueryExecutionSync(request('token'), async () => undefined)).resolves.toMatchObject({
      QueryExecution: { Status: { State: 'SUCCEEDED' } },
    });
  });

  it("words a lost commit race as Athena's Iceberg commit error, which the pipeline retries with a new token", () => {
    expect(failureReason(new CommitConflictError('acme_dev_sales.orders', 3, 'sequence 3 is taken'))).toMatch(/^ICEBERG_COMMIT_ERROR: commit conflict on acme_dev_sales\.orders/);
    expect(failureReason(new Error('syntax error'))).toBe('syntax error');
  });

  it('serves getQueryResults with the header row first, nulls without a value', async () => {
    const athena = new LocalAthena();
    const started = await athena.startQueryExecutionSync(request(), async () => ({ columns: ['failed_rows', 'note'], rows: [['0', null]] }));
    const id = (started['QueryExecution'] as { QueryExecutionId: string }).QueryExecutionId;
    expect(await athena.getQueryResults({ QueryExecutionId: id })).toEqual({
      ResultSet: {
        Rows: [{ Data: [{ VarCharValue: 'failed_rows' }, { VarCharValue: 'note' }] }, { Data: [{ VarCharValue: '0' }, {}] }],
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'failed_rows', Label: 'failed_rows', Type: 'varchar' },
            { Name: 'note', Label: 'note', Type: 'varchar' },
          ],
        },
      },
    });
    await expect(athena.getQueryResults({ QueryExecutionId: 'nope' })).rejects.toMatchObject({ name: 'Athena.InvalidRequestException' });
  });

  it('refuses a request without a query string', async () => {
    await expect(new LocalAthena().startQueryExecutionSync({ WorkGroup: 'w' }, async () => undefined)).rejects.toMatchObject({
      name: 'Athena.InvalidRequestException',
    });
  });
});
