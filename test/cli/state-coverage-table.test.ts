import { describe, expect, it } from 'vitest';
import { renderStateCoverageTable } from '../../lib/cli/state-coverage-table.ts';

describe('renderStateCoverageTable', () => {
  it('shows each machine\'s states and transitions as counts and percentages, never rounding a shortfall up to 100%', () => {
    const table = renderStateCoverageTable({
      machines: [
        { name: 'acme-dev-sales-build', states: { total: 2000, visited: 1999, missing: ['x'] }, transitions: { total: 3, taken: 1, missing: ['a', 'b'] } },
        { name: 'acme-dev-sales-pipeline-orders', states: { total: 1, visited: 1, missing: [] }, transitions: { total: 0, taken: 0, missing: [] } },
      ],
    });
    expect(table.split('\n')).toEqual([
      'machine                         states     %       transitions  %',
      '------------------------------  ---------  ------  -----------  ------',
      'acme-dev-sales-build            1999/2000  99.9%   1/3          33.3%',
      'acme-dev-sales-pipeline-orders  1/1        100.0%  0/0          100.0%',
    ]);
  });
});
