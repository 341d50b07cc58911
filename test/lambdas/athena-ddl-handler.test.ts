import { Logger } from '@aws-lambda-powertools/logger';
import { TooManyRequestsException } from '@aws-sdk/client-athena';
import { AccessDeniedException, EntityNotFoundException } from '@aws-sdk/client-glue';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAthenaDdlHandler } from '../../lambdas/athena-ddl/handler.ts';
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

const running = { QueryExecution: { Status: { State: 'RUNNING' } } };
const succeeded = { QueryExecution: { Status: { State: 'SUCCEEDED' } } };

/** The handler on fake Glue and Athena clients answering from their scripts. */
function handler(scripts: { glue?: Script; athena?: Script }, maxWaitMs = 10_000) {
  const network = fakeAwsNetwork();
  const pauses: number[] = [];
  const handle = createAthenaDdlHandler({
    glue: network.client('glue', scripts.glue ?? {}),
    athena: network.client('athena', scripts.athena ?? {}),
    pollIntervalMs: 1000,
    maxWaitMs,
    sleep: async (milliseconds) => {
      pauses.push(milliseconds);
    },
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { handle, pauses, sent: network.sent, commands: network.commands };
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
    });
    await expect(handle(event('Update'))).rejects.toThrow(NonAdditiveSchemaChangeError);
    expect(commands()).toEqual(['glue:GetTableCommand']);
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
