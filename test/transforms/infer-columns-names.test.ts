import { describe, expect, it } from 'vitest';
import { ContractError } from '../../lib/contracts/problems.ts';
import { compileTransforms } from '../../lib/transforms/compile.ts';
import { inferModelColumns } from '../../lib/transforms/infer-columns.ts';
import { catalogWith, modelFile } from './helpers.ts';

/** The problems `inferModelColumns` throws for `models`; any error other than a ContractError fails the test. */
async function inferenceProblems(models: Readonly<Record<string, string>>): Promise<string> {
  const error = await inferModelColumns(compileTransforms(catalogWith(models))).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ContractError);
  return (error as ContractError).message;
}

describe('inferModelColumns on the names of a model\'s columns', () => {
  it('refuses a SELECT returning a column name twice, case-insensitively as Glue and Athena compare them, at the model file', async () => {
    const message = await inferenceProblems({
      'sales/twice': modelFile('materialized: table', "SELECT order_date, order_date FROM {{ ref('orders') }}"),
      'sales/twice_cased': modelFile('materialized: view', "SELECT order_id, amount AS Order_ID FROM {{ ref('orders') }}"),
    });
    expect(message).toMatch(/twice\.sql:4:1: model 'sales\/twice' returns column 'order_date' twice/);
    expect(message).toMatch(/twice_cased\.sql:4:1: model 'sales\/twice_cased' returns column 'order_id' twice \(as order_id, Order_ID\)/);
  });

  it('reports a column DuckDB can describe but not create a table with (an unnamed struct) at the model file', async () => {
    const message = await inferenceProblems({ 'sales/unnamed': modelFile('materialized: table', "SELECT row(order_id, amount) AS pair FROM {{ ref('orders') }}") });
    expect(message).toMatch(/unnamed\.sql:4:1: model 'sales\/unnamed' does not run on DuckDB: Parser Error/);
  });

  it('reports the models downstream of a refused one once, not as a DuckDB error', async () => {
    const message = await inferenceProblems({
      'sales/twice': modelFile('materialized: table', "SELECT order_date, order_date FROM {{ ref('orders') }}"),
      'sales/downstream': modelFile('materialized: table', "SELECT count(*) AS n FROM {{ ref('twice') }}"),
    });
    expect(message).toMatch(/^1 problem in contracts:/);
  });
});
