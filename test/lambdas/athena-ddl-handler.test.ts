import { Logger } from '@aws-lambda-powertools/logger';
import { TooManyRequestsException } from '@aws-sdk/client-athena';
import { AccessDeniedException, EntityNotFoundException } from '@aws-sdk/client-glue';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAthenaDdlHandler } from '../../lambdas/athena-ddl/handler.ts';
import { MAX_REASON_CHARACTERS } from '../../lambdas/athena-ddl/failure-reason.ts';
import type { IcebergTableSpec } from '../../lambdas/athena-ddl/table-spec.ts';
import { NonAdditiveSchemaChangeError } from '../../lib/pipeline/iceberg-schema-change.ts';
import { fakeAwsNetwork, type Script } from '../aws/fake-sdk-clients.ts';

const spec: IcebergTableSpec = {
  database: 'acme_dev_sales',
  table: 'orders',
  workGroup: 'acme-dev-sales',
  createStatement: "CREATE TABLE IF NOT EXISTS `acme_dev_sales`.`orders` (`id` string) LOCATION 's3://silver/sales/orders/' TBLPROPERTIES ('table_type'='ICEBERG')",
  columns: [
    { name: 'id', type: 'string' },
    { name: 'total', type: 'decimal(10,2)' },
  ],
};

function event(requestType: 'Create' | 'Update' | 'Delete', properties: object = spec, requestId = 'request-1'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    ResponseURL: 'https://example.com/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/SalesDatasets0/1',
    RequestId: requestId,
    LogicalResourceId: 'OrdersSilverTable',
    ResourceType: 'Custom::IcebergTable',
    ResourceProperties: { ServiceToken: 'token', ...properties },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  if (requestType === 'Update') {
    return { ...common, RequestType: 'Update', PhysicalResourceId: 'acme_dev_sales.orders', OldResourceProperties: common.ResourceProperties } as CloudFormationCustomResourceEvent;
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: 'acme_dev_sales.orders' } as CloudFormationCustomResourceEvent;
}

const notFound = new EntityNotFoundException({ message: 'Table orders not found', $metadata: { httpStatusCode: 400 } });

function icebergTable(columns: readonly { name: string; type: string; current?: boolean }[]) {
  return {
    Table: {
      Name: 'orders',
      Parameters: { table_type: 'ICEBERG', metadata_location: 's3://silver/sales/orders/metadata/00001.json' },
      StorageDescriptor: {
        Columns: columns.map((column) => ({
          Name: column.name,
          Type: column.type,
          Parameters: { 'iceberg.field.current': String(column.current ?? true) },
        })),
      },
    },
  };
}

/** DescribeStacks' answer for a stack in `status`. */
function stackIn(status: string) {
  return { Stacks: [{ StackName: 'SalesDatasets0', StackStatus: status, CreationTime: new Date(0) }] };
}

/** The table after an update added `discount`, which the rollback's old properties lack. */
const tableWithAddedColumn = icebergTable([...spec.columns, { name: 'discount', type: 'decimal(10,2)' }]);

const running = { QueryExecution: { Status: { State: 'RUNNING' } } };
const succeeded = { QueryExecution: { Status: { State: 'SUCCEEDED' } } };

/** The handler on fake Glue, Athena and CloudFormation clients answering from their scripts. */
function handler(scripts: { glue?: Script; athena?: Script; cloudformation?: Script }, maxWaitMs = 10_000) {
  const network = fakeAwsNetwork();
  const pauses: number[] = [];
  const logged: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const silent = new Logger({ logLevel: 'SILENT' });
  const record = (level: string) => (message: string, details: Record<string, unknown> = {}) => {
    logged.push({ level, message, details });
  };
  const handle = createAthenaDdlHandler({
    glue: network.client('glue', scripts.glue ?? {}),
    athena: network.client('athena', scripts.athena ?? {}),
    cloudFormation: network.client('cloudformation', scripts.cloudformation ?? {}),
    pollIntervalMs: 1000,
    maxWaitMs,
    sleep: async (milliseconds) => {
      pauses.push(milliseconds);
    },
    logger: { info: silent.info.bind(silent), warn: record('warn') as Logger['warn'], error: record('error') as Logger['error'] },
  });
  return { handle, pauses, logged, sent: network.sent, commands: network.commands };
}

/** The rejection of `promise`, which must reject. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the handler to fail');
}

/**
 * The body CloudFormation receives when the handler throws `error`: the Lambda runtime reports the
 * message and the stack's lines as `trace`, and the CDK provider framework (custom-resources
 * provider-framework/runtime/framework.js, invokeUserFunction) sends the message, the log group
 * and the trace's frames as the reason (cfn-response.js, submitResponse).
 */
function cloudFormationResponseBody(error: Error): string {
  const trace = (error.stack ?? '').split('\n');
  const message = [error.message, '', 'Logs: /aws/lambda/acme-dev-sales-athena-ddl', ''].join('\n');
  return JSON.stringify({
    Status: 'FAILED',
    Reason: [message, ...trace.slice(1)].join('\n'),
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/dev-SalesDatasets0/4bd5b2f0-3c34-11ef-9f2e-0a1b2c3d4e5f',
    RequestId: 'a4d9f8c2-2b4e-4c1a-9d3e-5f6a7b8c9d0e',
    PhysicalResourceId: 'acme_dev_sales.orders',
    LogicalResourceId: 'OrdersSilverTable',
  });
}

/** CloudFormation refuses a custom resource response body larger than this. */
const CLOUDFORMATION_RESPONSE_LIMIT_BYTES = 4096;

/** A table of `count` columns, as a wide contract has. */
function manyColumns(count: number): { name: string; type: string }[] {
  return Array.from({ length: count }, (_, index) => ({ name: `measurement_${String(index).padStart(3, '0')}`, type: 'decimal(18,6)' }));
}

describe('Athena DDL handler', () => {
  it('creates a missing table with the create statement in the domain workgroup and waits for it', async () => {
    const { handle, pauses, sent, commands } = handler({
      glue: { GetTableCommand: [notFound] },
      athena: {
        StartQueryExecutionCommand: [{ QueryExecutionId: 'q-create' }],
        GetQueryExecutionCommand: [{ QueryExecution: { Status: { State: 'QUEUED' } } }, running, succeeded],
      },
    });
    await expect(handle(event('Create'))).resolves.toEqual({
      PhysicalResourceId: 'acme_dev_sales.orders',
      Data: { Table: 'acme_dev_sales.orders', Outcome: 'created' },
    });
    expect(commands()).toEqual([
      'glue:GetTableCommand',
      'athena:StartQueryExecutionCommand',
      'athena:GetQueryExecutionCommand',
      'athena:GetQueryExecutionCommand',
      'athena:GetQueryExecutionCommand',
    ]);
    expect(sent[0]!.input).toEqual({ DatabaseName: 'acme_dev_sales', Name: 'orders' });
    expect(sent[1]!.input).toEqual({
      QueryString: spec.createStatement,
      WorkGroup: 'acme-dev-sales',
      ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(sent[2]!.input).toEqual({ QueryExecutionId: 'q-create' });
    expect(pauses).toEqual([1000, 1000]);
  });

  it('adds only the contract columns the table lacks, ignoring columns Iceberg dropped', async () => {
    const { handle, sent } = handler({
      glue: { GetTableCommand: [icebergTable([{ name: 'id', type: 'string' }, { name: 'legacy', type: 'int', current: false }])] },
      athena: { StartQueryExecutionCommand: [{ QueryExecutionId: 'q-alter' }], GetQueryExecutionCommand: [succeeded] },
    });
    const result = await handle(event('Update'));
    expect(result.Data).toEqual({ Table: 'acme_dev_sales.orders', Outcome: 'columns-added' });
    expect(sent[1]!.input['QueryString']).toBe('ALTER TABLE `acme_dev_sales`.`orders` ADD COLUMNS (`total` decimal(10,2))');
  });

  it('runs nothing when the table already matches', async () => {
    const { handle, commands } = handler({ glue: { GetTableCommand: [icebergTable(spec.columns)] } });
    const result = await handle(event('Update'));
    expect(result).toEqual({ PhysicalResourceId: 'acme_dev_sales.orders', Data: { Table: 'acme_dev_sales.orders', Outcome: 'unchanged' } });
    expect(commands()).toEqual(['glue:GetTableCommand']);
  });

  it('also extends a table that outlived its stack when the resource is created again', async () => {
    const { handle } = handler({
      glue: { GetTableCommand: [icebergTable([{ name: 'id', type: 'string' }])] },
      athena: { StartQueryExecutionCommand: [{ QueryExecutionId: 'q' }], GetQueryExecutionCommand: [succeeded] },
    });
    await expect(handle(event('Create'))).resolves.toMatchObject({ Data: { Outcome: 'columns-added' } });
  });

  it('fails the deployment on a non-additive change without touching the table', async () => {
    const { handle, commands } = handler({
      glue: { GetTableCommand: [icebergTable([{ name: 'id', type: 'bigint' }, { name: 'total', type: 'decimal(10,2)' }])] },
      cloudformation: { DescribeStacksCommand: [stackIn('UPDATE_IN_PROGRESS')] },
    });
    await expect(handle(event('Update'))).rejects.toThrow(NonAdditiveSchemaChangeError);
    expect(commands()).toEqual(['glue:GetTableCommand', 'cloudformation:DescribeStacksCommand']);
  });

  it.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS'])(
    'succeeds without DDL when a rollback (%s) asks to drop the column the failed update added',
    async (status) => {
      const { handle, commands, sent, logged } = handler({
        glue: { GetTableCommand: [tableWithAddedColumn] },
        cloudformation: { DescribeStacksCommand: [stackIn(status)] },
      });
      await expect(handle(event('Update'))).resolves.toEqual({
        PhysicalResourceId: 'acme_dev_sales.orders',
        Data: { Table: 'acme_dev_sales.orders', Outcome: 'kept-during-rollback' },
      });
      expect(commands()).toEqual(['glue:GetTableCommand', 'cloudformation:DescribeStacksCommand']);
      expect(sent[1]!.input).toEqual({ StackName: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/SalesDatasets0/1' });
      expect(logged).toEqual([
        {
          level: 'warn',
          message: expect.stringMatching(/rolling back; Iceberg keeps the added columns and a later deployment reconciles/),
          details: {
            table: 'acme_dev_sales.orders',
            stackStatus: status,
            problems: ["column 'discount' (decimal(10,2)) is in the table but no longer in the contract"],
          },
        },
      ]);
    },
  );

  it.each(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED'])(
    'still refuses a removed column when the stack is %s, not rolling back',
    async (status) => {
      const { handle, commands } = handler({
        glue: { GetTableCommand: [tableWithAddedColumn] },
        cloudformation: { DescribeStacksCommand: [stackIn(status)] },
      });
      await expect(handle(event('Update'))).rejects.toThrow(/'discount' \(decimal\(10,2\)\) is in the table but no longer in the contract/);
      expect(commands()).toEqual(['glue:GetTableCommand', 'cloudformation:DescribeStacksCommand']);
    },
  );

  it('refuses a removed column on a create without asking about the stack: a rollback never creates', async () => {
    const { handle, commands } = handler({ glue: { GetTableCommand: [tableWithAddedColumn] } });
    await expect(handle(event('Create'))).rejects.toThrow(NonAdditiveSchemaChangeError);
    expect(commands()).toEqual(['glue:GetTableCommand']);
  });

  it('fails with the reason when the stack status cannot be read', async () => {
    const denied = new AccessDeniedException({ message: 'not authorized to cloudformation:DescribeStacks', $metadata: { httpStatusCode: 403 } });
    const { handle } = handler({ glue: { GetTableCommand: [tableWithAddedColumn] }, cloudformation: { DescribeStacksCommand: [denied] } });
    await expect(handle(event('Update'))).rejects.toBe(denied);
  });

  it("tells CloudFormation a failed statement's cause in one short line and logs the statement", async () => {
    const wide = manyColumns(300);
    const createStatement = `CREATE TABLE IF NOT EXISTS \`acme_dev_sales\`.\`orders\` (${wide.map((column) => `\`${column.name}\` ${column.type}`).join(', ')}) LOCATION 's3://silver/sales/orders/' TBLPROPERTIES ('table_type'='ICEBERG')`;
    const { handle, logged } = handler({
      glue: { GetTableCommand: [notFound] },
      athena: {
        StartQueryExecutionCommand: [{ QueryExecutionId: 'q-wide' }],
        GetQueryExecutionCommand: [{ QueryExecution: { Status: { State: 'FAILED', AthenaError: { ErrorMessage: 'Insufficient permissions to execute the query' } } } }],
      },
    });
    const failure = await failureOf(handle(event('Create', { ...spec, createStatement, columns: wide })));
    expect(failure.message).toBe('Athena query q-wide ended FAILED: Insufficient permissions to execute the query');
    expect(Buffer.byteLength(cloudFormationResponseBody(failure))).toBeLessThan(CLOUDFORMATION_RESPONSE_LIMIT_BYTES);
    expect(logged).toEqual([{ level: 'error', message: expect.any(String), details: expect.objectContaining({ statement: createStatement }) }]);
  });

  it('names the first few of many refused columns to CloudFormation and logs them all', async () => {
    const wide = manyColumns(300);
    const { handle, logged } = handler({
      glue: { GetTableCommand: [icebergTable(wide)] },
      cloudformation: { DescribeStacksCommand: [stackIn('UPDATE_IN_PROGRESS')] },
    });
    const failure = await failureOf(handle(event('Update', { ...spec, columns: wide.map((column) => ({ ...column, type: 'double' })) })));
    expect(failure.message).toMatch(/^Iceberg table acme_dev_sales\.orders cannot follow its contract: column 'measurement_000' is decimal\(18,6\) in the table but double in the contract; .* and 295 more\. /);
    expect(failure.message.length).toBeLessThanOrEqual(MAX_REASON_CHARACTERS);
    expect(Buffer.byteLength(cloudFormationResponseBody(failure))).toBeLessThan(CLOUDFORMATION_RESPONSE_LIMIT_BYTES);
    expect((logged[0]!.details['problems'] as string[]).length).toBe(300);
  });

  it('cuts any other long message to one line, cause first', async () => {
    const { handle } = handler({});
    const failure = await failureOf(handle(event('Create', { ...spec, database: '', columns: manyColumns(300).map(({ name }) => ({ name })) })));
    expect(failure.message).toMatch(/^invalid Iceberg table properties: 'database' must be a non-empty string, got ""; 'columns\[0\]'.*whole message is in the function's log\)$/);
    expect(failure.message).not.toContain('\n');
    expect(failure.message.length).toBeLessThanOrEqual(MAX_REASON_CHARACTERS);
    expect(Buffer.byteLength(cloudFormationResponseBody(failure))).toBeLessThan(CLOUDFORMATION_RESPONSE_LIMIT_BYTES);
  });

  it('refuses to run Iceberg DDL on a table of another kind', async () => {
    const { handle, commands } = handler({ glue: { GetTableCommand: [{ Table: { Name: 'orders', Parameters: { classification: 'parquet' } } }] } });
    await expect(handle(event('Create'))).rejects.toThrow(/exists in Glue but is not an Iceberg table \(table_type unset\)/);
    expect(commands()).toEqual(['glue:GetTableCommand']);
  });

  it("reports Athena's reason when the statement fails", async () => {
    const { handle } = handler({
      glue: { GetTableCommand: [notFound] },
      athena: {
        StartQueryExecutionCommand: [{ QueryExecutionId: 'q-bad' }],
        GetQueryExecutionCommand: [{ QueryExecution: { Status: { State: 'FAILED', AthenaError: { ErrorMessage: 'line 1:8: mismatched input' } } } }],
      },
    });
    await expect(handle(event('Create'))).rejects.toThrow(/Athena query q-bad ended FAILED: line 1:8: mismatched input/);
  });

  it('gives up waiting after the configured time', async () => {
    const { handle, pauses } = handler(
      {
        glue: { GetTableCommand: [notFound] },
        athena: { StartQueryExecutionCommand: [{ QueryExecutionId: 'q-slow' }], GetQueryExecutionCommand: [running] },
      },
      3000,
    );
    await expect(handle(event('Create'))).rejects.toThrow(/q-slow ended RUNNING: still RUNNING after 3 s/);
    expect(pauses).toEqual([1000, 1000, 1000]);
  });

  it('lets errors other than a missing table fail the deployment', async () => {
    const denied = new AccessDeniedException({ message: 'not authorized to glue:GetTable', $metadata: { httpStatusCode: 400 } });
    const { handle, commands } = handler({ glue: { GetTableCommand: [denied] } });
    await expect(handle(event('Create'))).rejects.toBe(denied);
    expect(commands()).toEqual(['glue:GetTableCommand']);
  });

  it('fails the deployment when Athena still throttles after the client has retried', async () => {
    const throttled = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    const { handle, commands } = handler({ glue: { GetTableCommand: [notFound] }, athena: { StartQueryExecutionCommand: [throttled] } });
    await expect(handle(event('Create'))).rejects.toBe(throttled);
    expect(commands()).toEqual(['glue:GetTableCommand', 'athena:StartQueryExecutionCommand']);
  });

  it('retains the table on delete: no call at all', async () => {
    const { handle, sent } = handler({});
    await expect(handle(event('Delete'))).resolves.toEqual({ PhysicalResourceId: 'acme_dev_sales.orders' });
    expect(sent).toEqual([]);
  });

  it('names every invalid property', async () => {
    const { handle, sent } = handler({});
    await expect(handle(event('Create', { database: '', table: 'orders', columns: [{ name: 'id' }] }))).rejects.toThrow(
      /'database' must be a non-empty string.*'workGroup'.*'createStatement'.*'columns\[0\]' must be \{ name, type \}/,
    );
    expect(sent).toEqual([]);
  });

  it('reuses the idempotency token for a retried request and not for a new one', async () => {
    const tokens = async (requestId: string): Promise<unknown> => {
      const { handle, sent } = handler({
        glue: { GetTableCommand: [notFound] },
        athena: { StartQueryExecutionCommand: [{ QueryExecutionId: 'q' }], GetQueryExecutionCommand: [succeeded] },
      });
      await handle(event('Create', spec, requestId));
      return sent[1]!.input['ClientRequestToken'];
    };
    const first = await tokens('request-1');
    expect(await tokens('request-1')).toBe(first);
    expect(await tokens('request-2')).not.toBe(first);
  });
});
