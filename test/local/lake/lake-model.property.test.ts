import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachTable } from '../../../lib/local/lake/attach-lake.ts';
import { DATABASE, ORDERS, insertOrders, orderRows, useLake } from './helpers.ts';

type Row = [number, string];
type Command =
  | { readonly kind: 'append'; readonly rows: Row[] }
  | { readonly kind: 'delete'; readonly below: number }
  | { readonly kind: 'deleteStatus'; readonly status: string }
  | { readonly kind: 'compact' };

const status = fc.constantFrom('new', 'paid', 'void');
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      rows: fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), status), { maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), below: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteStatus' as const), status }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
);

/** The in-memory model: a table is a bag of rows. */
function apply(model: Row[], step: Command): Row[] {
  switch (step.kind) {
    case 'append':
      return [...model, ...step.rows];
    case 'delete':
      return model.filter(([id]) => !(id < step.below));
    case 'deleteStatus':
      return model.filter(([, rowStatus]) => rowStatus !== step.status);
    case 'compact':
      return model;
  }
}

function statementFor(step: Exclude<Command, { kind: 'compact' }>): string {
  switch (step.kind) {
    case 'append':
      return insertOrders(step.rows);
    case 'delete':
      return `DELETE FROM {{target}} WHERE id < ${step.below}`;
    case 'deleteStatus':
      return `DELETE FROM {{target}} WHERE status = '${step.status}'`;
  }
}

function sorted(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

const fixture = useLake();

describe('the local lake against an in-memory model', () => {
  it('holds the same rows as the model after any sequence of appends, deletes and compactions', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 8 }), async (commands) => {
        const { lake, connection, otherConnection } = fixture();
        const table = `orders_${run++}`;
        const view = `"${DATABASE}"."${table}"`;
        lake.createTable(DATABASE, table, ORDERS);
        await attachTable(connection, lake, { database: DATABASE, table });
        let model: Row[] = [];

        for (const step of commands) {
          model = apply(model, step);
          if (step.kind === 'compact') await lake.compact(DATABASE, table);
          else await lake.write(connection, DATABASE, table, step.kind === 'append' ? 'append' : 'delete', statementFor(step));
          expect(lake.currentSnapshot(DATABASE, table).summary.totalRows).toBe(model.length);
        }

        expect(await orderRows(connection, view)).toEqual(sorted(model));
        const reader = await otherConnection();
        await attachTable(reader, lake, { database: DATABASE, table });
        expect(await orderRows(reader, view)).toEqual(sorted(model));
      }),
      { numRuns: 40 },
    );
  });
});
