import { describe, expect, it } from 'vitest';
import { replayRowCountProblem } from '../../lib/cli/replay-row-count.ts';

const replay = { file: 'contracts/sales/samples/orders.csv', table: '"acme_dev_sales"."orders"' };

describe('replayRowCountProblem', () => {
  it('finds nothing when the replay left the row count as it was', () => {
    expect(replayRowCountProblem({ ...replay, before: 36, after: 36 })).toBeUndefined();
  });

  it('names the file, the table and both counts when a replay duplicated rows', () => {
    expect(replayRowCountProblem({ ...replay, before: 36, after: 72 })).toBe(
      'running contracts/sales/samples/orders.csv again changed the rows in "acme_dev_sales"."orders" from 36 to 72 (36 rows more): ' +
        'a replay must load nothing twice and lose nothing',
    );
  });

  it('is a problem too when a replay lost rows', () => {
    expect(replayRowCountProblem({ ...replay, before: 36, after: 35 })).toContain('from 36 to 35 (1 row fewer)');
  });
});
