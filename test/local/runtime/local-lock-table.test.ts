import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalLockTable } from '../../../lib/local/runtime/local-lock-table.ts';

const TABLE = 'local-Locks';
const ME = 'arn:aws:states:eu-west-1:111111111111:execution:pipeline:me';
const OTHER = 'arn:aws:states:eu-west-1:111111111111:execution:pipeline:other';

let directory: string;
let table: LocalLockTable;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'lock-table-'));
  table = new LocalLockTable(directory);
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The requests the pipeline's lock states send, as the synthesized definition words them. */
const acquire = (holder: string) => ({
  TableName: TABLE,
  Item: { pk: { S: 'sales/orders' }, holder: { S: holder }, fileId: { S: 'f1' } },
  ConditionExpression: 'attribute_not_exists(#pk) OR #holder = :me',
  ExpressionAttributeNames: { '#pk': 'pk', '#holder': 'holder' },
  ExpressionAttributeValues: { ':me': { S: holder } },
});
const takeOver = (holder: string, stale: string) => ({
  TableName: TABLE,
  Item: { pk: { S: 'sales/orders' }, holder: { S: holder } },
  ConditionExpression: '#holder = :stale',
  ExpressionAttributeNames: { '#holder': 'holder' },
  ExpressionAttributeValues: { ':stale': { S: stale } },
});
const release = (holder: string) => ({
  TableName: TABLE,
  Key: { pk: { S: 'sales/orders' } },
  ConditionExpression: '#holder = :me',
  ExpressionAttributeNames: { '#holder': 'holder' },
  ExpressionAttributeValues: { ':me': { S: holder } },
});
const read = { TableName: TABLE, Key: { pk: { S: 'sales/orders' } }, ConsistentRead: true, ProjectionExpression: 'holder' };
const conditionFailed = { name: 'DynamoDB.ConditionalCheckFailedException' };

describe('the offline lock table', () => {
  it('gives a free lock, gives it again to its holder, and refuses it to anyone else', async () => {
    await expect(table.putItem(acquire(ME))).resolves.toEqual({});
    await expect(table.putItem(acquire(ME))).resolves.toEqual({});
    await expect(table.putItem(acquire(OTHER))).rejects.toMatchObject(conditionFailed);
    await expect(table.getItem(read)).resolves.toEqual({ Item: { holder: { S: ME } } });
  });

  it('lets one of many simultaneous acquirers win', async () => {
    const holders = Array.from({ length: 8 }, (_, index) => `${OTHER}-${index}`);
    const results = await Promise.allSettled(holders.map((holder) => table.putItem(acquire(holder))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason.name)).toEqual(
      Array(7).fill('DynamoDB.ConditionalCheckFailedException'),
    );
  });

  it('hands a lock over only from the holder named as stale', async () => {
    await table.putItem(acquire(OTHER));
    await expect(table.putItem(takeOver(ME, 'arn:someone-else'))).rejects.toMatchObject(conditionFailed);
    await expect(table.putItem(takeOver(ME, OTHER))).resolves.toEqual({});
    await expect(table.getItem(read)).resolves.toEqual({ Item: { holder: { S: ME } } });
  });

  it('releases only for its holder, and answers an empty GetItem once released', async () => {
    await table.putItem(acquire(ME));
    await expect(table.deleteItem(release(OTHER))).rejects.toMatchObject(conditionFailed);
    await expect(table.deleteItem(release(ME))).resolves.toEqual({});
    await expect(table.getItem(read)).resolves.toEqual({});
    await expect(table.deleteItem(release(ME))).rejects.toMatchObject(conditionFailed);
  });

  it('returns the whole item without a projection', async () => {
    await table.putItem(acquire(ME));
    await expect(table.getItem({ TableName: TABLE, Key: { pk: { S: 'sales/orders' } } })).resolves.toEqual({
      Item: { pk: { S: 'sales/orders' }, holder: { S: ME }, fileId: { S: 'f1' } },
    });
  });

  it("refuses what DynamoDB would: conditions it cannot evaluate, undeclared placeholders, items without the key", async () => {
    await expect(table.putItem({ ...acquire(ME), ConditionExpression: 'size(#holder) > :me' })).rejects.toMatchObject({
      name: 'DynamoDB.ValidationException',
      message: expect.stringMatching(/not supported offline/),
    });
    await expect(table.putItem({ ...acquire(ME), ExpressionAttributeValues: {} })).rejects.toMatchObject({
      name: 'DynamoDB.ValidationException',
      message: expect.stringMatching(/:me is not in ExpressionAttributeValues/),
    });
    await expect(table.putItem({ TableName: TABLE, Item: { holder: { S: ME } } })).rejects.toMatchObject({
      name: 'DynamoDB.ValidationException',
      message: expect.stringMatching(/keyed by the string attribute 'pk'/),
    });
    await expect(table.getItem({ Key: { pk: { S: 'sales/orders' } } })).rejects.toMatchObject({ name: 'DynamoDB.ValidationException' });
  });
});
