/**
 * The load MERGE reads only the target partitions its delivery has rows in, where that cannot
 * change the result (every partition column is part of the key), and loads the same rows as an
 * unbounded MERGE.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/contracts/model.ts';
import { loadStep, type LoadArguments } from '../../lib/pipeline/load-step.ts';
import { column, dataset } from '../stacks/fixtures.ts';
import { DATABASE, FILE_A, FILE_B, useLoadFixture, type ValidatedRow } from './helpers.ts';
import { evaluateStatesFormat, statesFormatCall } from './states-format.ts';


const columns = [column('shipment_id', { kind: 'string' }), column('ship_date', { kind: 'date' }), column('status', { kind: 'string' })];
/** Keyed by shipment and day, partitioned by day: a key lives in one partition. */
const shipments: Dataset = dataset('sales', 'shipments', {
  columns,
  primaryKey: ['shipment_id', 'ship_date'],
  partitionColumns: ['ship_date'],
});
/** The same rows, unpartitioned: the MERGE as it was before the bound. */
const unpartitioned: Dataset = dataset('sales', 'shipments_flat', { columns, primaryKey: ['shipment_id', 'ship_date'] });
/** Partitioned by a column outside the key, which a later delivery may correct. */
const byDateOutsideKey: Dataset = dataset('sales', 'parcels', { columns, primaryKey: ['shipment_id'], partitionColumns: ['ship_date'] });

const BOUND = /ON t\."shipment_id" = s\."shipment_id" AND t\."ship_date" = s\."ship_date" AND t\."ship_date" IN \(SELECT DISTINCT CAST\(v\."ship_date" AS date\) FROM "acme_dev_sales"\."shipments_validated" AS v WHERE v\."ingest_date" = DATE '2026-03-01' AND v\."file_id" = 'a1b2c3d4e5f6a1b2c3d4e5f6'\)\n/;

describe('the partition bound of the load MERGE', () => {
  it("restricts the target to the partitions of this delivery's rows, in the ON clause, where Iceberg prunes", () => {
    const step = loadStep(shipments, { database: DATABASE });
    expect(step.athena(FILE_A)).toMatch(BOUND);
    expect(evaluateStatesFormat(statesFormatCall(step.template, step.argumentPaths), { validation: { ...FILE_A } })).toBe(step.athena(FILE_A));
  });

  it('leaves the target unbounded when a partition column is outside the key, or the table is not partitioned', () => {
    expect(loadStep(byDateOutsideKey, { database: DATABASE }).athena(FILE_A)).toMatch(/\nON t\."shipment_id" = s\."shipment_id"\n/);
    expect(loadStep(unpartitioned, { database: DATABASE }).athena(FILE_A)).not.toContain(' IN (SELECT DISTINCT');
  });

  describe('on DuckDB', () => {
    const fixture = useLoadFixture();

    it('loads the same rows as the unbounded MERGE', async () => {
      const { lake, connection, writeValidated, prepareTables, rows } = fixture();
      const deliveries: [LoadArguments, ValidatedRow[]][] = [
        [FILE_A, [[1, "'S-1'", "'2026-02-27'", "'packed'"], [2, "'S-2'", "'2026-02-28'", "'packed'"]]],
        // S-1 moves on in its partition, S-2 is shipped again on a later day (a new key), S-3 is new.
        [FILE_B, [[1, "'S-1'", "'2026-02-27'", "'shipped'"], [2, "'S-2'", "'2026-03-01'", "'packed'"], [3, "'S-3'", "'2026-03-01'", "'packed'"]]],
      ];
      const loaded = async (target: Dataset): Promise<unknown[]> => {
        await prepareTables(target);
        const step = loadStep(target, { database: DATABASE });
        for (const [file, validated] of deliveries) {
          await writeValidated(target, file, validated);
          const write = step.duckdb(file);
          await lake.write(connection, write.database, write.table, write.operation, write.statements, { scope: write.scope });
        }
        return (await rows(target, 'shipment_id, ship_date')).map((row) => [row['shipment_id'], String(row['ship_date']), row['status'], row['file_id']]);
      };

      const bounded = await loaded(shipments);
      expect(bounded).toHaveLength(4);
      expect(bounded).toEqual(await loaded(unpartitioned));
    });
  });
});
