import { describe, expect, it } from 'vitest';
import { runValidationQueries } from '../../lib/validation/run-validation.ts';
import { column, loadDataset } from './helpers/dataset.ts';
import { freshConnection, relationName } from './helpers/source.ts';

/** A Parquet file reaches the rules with its own column types: they are converted, not parsed. */
describe('a source with engine-typed columns (Parquet)', () => {
  const dataset = loadDataset({
    properties: [
      column('id', { primaryKey: true }),
      column('level', { logicalType: 'integer', physicalType: 'tinyint', logicalTypeOptions: { minimum: 1 } }),
      column('at', { logicalType: 'timestamp' }),
      column('price', { logicalType: 'number', physicalType: 'decimal(6,2)' }),
    ],
    slaProperties: [{ property: 'freshness', value: 1, unit: 'h', element: 'items.at' }],
  });

  it('counts values that do not fit the contract type as type failures and measures the rest', async () => {
    const connection = await freshConnection();
    try {
      await connection.run(`CREATE TABLE ${relationName} AS SELECT * FROM (VALUES
        (1::BIGINT, 'a', 5::INTEGER, TIMESTAMP '2026-11-21 05:30:00', 1.5::DOUBLE),
        (2::BIGINT, 'b', 40000::INTEGER, TIMESTAMP '2026-11-21 05:00:00', 99999.0::DOUBLE),
        (3::BIGINT, 'b', 0::INTEGER, NULL, 2.25::DOUBLE)
      ) t(_row, id, level, "at", price)`);
      const { report } = await runValidationQueries(connection, dataset, relationName, {
        ingestTime: new Date('2026-11-21T06:00:00Z'),
        file: 'items.parquet',
        startedAt: new Date(),
      });
      const byId = Object.fromEntries(report.rules.map((rule) => [rule.id, rule]));
      expect(byId['level.type']).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2, value: 40000 }] });
      expect(byId['level.minimum']).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 3, value: 0 }] });
      expect(byId['price.type']).toMatchObject({ passed: false, failedCount: 1, samples: [{ row: 2, value: 99999 }] });
      expect(byId['id.unique']).toMatchObject({ failedCount: 2 });
      expect(byId['freshness']).toMatchObject({ passed: true, observed: 1800 });
    } finally {
      connection.closeSync();
    }
  });
});
