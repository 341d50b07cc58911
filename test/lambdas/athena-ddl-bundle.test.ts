import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagedHandler } from '../../lib/constructs/lambda-code.ts';
import { type LocalAwsEndpoint, startLocalAwsEndpoint } from '../aws/local-aws-endpoint.ts';
import { invokeBundle } from '../aws/run-bundle.ts';

let endpoint: LocalAwsEndpoint;
let startsAnswered = 0;

const ROLLING_BACK_STACK = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/dev-SalesDatasets0/4bd5b2f0-3c34-11ef-9f2e-0a1b2c3d4e5f';

/** The `events` table after an update added `channel`, which the rollback's old properties lack. */
const eventsTable = {
  Table: {
    Name: 'events',
    Parameters: { table_type: 'ICEBERG' },
    StorageDescriptor: {
      Columns: [
        { Name: 'id', Type: 'string' },
        { Name: 'channel', Type: 'string' },
      ],
    },
  },
};

/** DescribeStacks in the query protocol's XML, for a stack rolling back an update. */
const rollingBack = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult><Stacks><member>
    <StackName>dev-SalesDatasets0</StackName><StackId>${ROLLING_BACK_STACK}</StackId>
    <CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>UPDATE_ROLLBACK_IN_PROGRESS</StackStatus>
  </member></Stacks></DescribeStacksResult>
  <ResponseMetadata><RequestId>d-1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`;

beforeAll(async () => {
  endpoint = await startLocalAwsEndpoint((request) => {
    switch (request.operation) {
      case 'AWSGlue.GetTable':
        return (JSON.parse(request.body) as { Name: string }).Name === 'events'
          ? { status: 200, body: JSON.stringify(eventsTable) }
          : { status: 400, body: JSON.stringify({ __type: 'com.amazonaws.glue#EntityNotFoundException', Message: 'Table orders not found.' }) };
      case 'cloudformation:DescribeStacks':
        return { status: 200, body: rollingBack };
      case 'AmazonAthena.StartQueryExecution':
        startsAnswered += 1;
        return startsAnswered === 1
          ? { status: 400, body: JSON.stringify({ __type: 'TooManyRequestsException', Message: 'Rate exceeded', Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' }) }
          : { status: 200, body: JSON.stringify({ QueryExecutionId: 'q-1' }) };
      case 'AmazonAthena.GetQueryExecution':
        return { status: 200, body: JSON.stringify({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: 'SUCCEEDED' } } }) };
      default:
        return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException', message: request.operation }) };
    }
  });
});

afterAll(async () => {
  await endpoint.close();
});

describe('the deployed Athena DDL provider: the bundle alone', () => {
  it('answers a CloudFormation create through the SDK clients, which retry a throttled Athena call with the same token', async () => {
    const createStatement = "CREATE TABLE IF NOT EXISTS `db`.`orders` (`id` string) LOCATION 's3://silver/x/' TBLPROPERTIES ('table_type'='ICEBERG')";
    const event = {
      RequestType: 'Create',
      RequestId: 'r-1',
      ResourceProperties: {
        ServiceToken: 'token',
        database: 'db',
        table: 'orders',
        workGroup: 'wg',
        createStatement,
        columns: [{ name: 'id', type: 'string' }],
      },
    };
    const outcome = await invokeBundle(stagedHandler('lambdas/athena-ddl/index.ts').directory, event, {
      AWS_ENDPOINT_URL_GLUE: endpoint.url,
      AWS_ENDPOINT_URL_ATHENA: endpoint.url,
    });
    expect(outcome).toEqual({ result: { PhysicalResourceId: 'db.orders', Data: { Table: 'db.orders', Outcome: 'created' } } });
    expect(endpoint.received.map((request) => request.operation)).toEqual([
      'AWSGlue.GetTable',
      'AmazonAthena.StartQueryExecution',
      'AmazonAthena.StartQueryExecution',
      'AmazonAthena.GetQueryExecution',
    ]);
    const [getTable, throttledStart, start] = endpoint.received;
    expect(getTable!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/glue\/aws4_request/);
    expect(start!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/athena\/aws4_request/);
    expect(start!.headers['x-amz-security-token']).toBe('local-token');
    expect(JSON.parse(getTable!.body)).toEqual({ DatabaseName: 'db', Name: 'orders' });
    expect(JSON.parse(start!.body)).toEqual({ QueryString: createStatement, WorkGroup: 'wg', ClientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(throttledStart!.body).toBe(start!.body);
  });

  it('answers a rollback back to fewer columns with success and no DDL, having read the stack status over the query protocol', async () => {
    const before = endpoint.received.length;
    const columns = [{ name: 'id', type: 'string' }];
    const properties = { ServiceToken: 'token', database: 'db', table: 'events', workGroup: 'wg', createStatement: 'CREATE TABLE unused', columns };
    const event = {
      RequestType: 'Update',
      RequestId: 'r-2',
      StackId: ROLLING_BACK_STACK,
      PhysicalResourceId: 'db.events',
      ResourceProperties: properties,
      OldResourceProperties: { ...properties, columns: [...columns, { name: 'channel', type: 'string' }] },
    };
    const outcome = await invokeBundle(stagedHandler('lambdas/athena-ddl/index.ts').directory, event, {
      AWS_ENDPOINT_URL_GLUE: endpoint.url,
      AWS_ENDPOINT_URL_ATHENA: endpoint.url,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint.url,
    });
    expect(outcome).toEqual({ result: { PhysicalResourceId: 'db.events', Data: { Table: 'db.events', Outcome: 'kept-during-rollback' } } });
    const made = endpoint.received.slice(before);
    expect(made.map((request) => request.operation)).toEqual(['AWSGlue.GetTable', 'cloudformation:DescribeStacks']);
    expect(Object.fromEntries(new URLSearchParams(made[1]!.body))).toMatchObject({ Action: 'DescribeStacks', StackName: ROLLING_BACK_STACK });
  });
});
