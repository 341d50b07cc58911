/**
 * The churn fixture spec's feature table in a local lake, as its gold model would publish it: 600
 * customers whose churn follows their orders, a tenth of the labels flipped, so the shipped
 * thresholds pass and a model learns something real.
 */
import { glueDatabaseName } from '../../../lib/config/names.ts';
import { openBuildConnection } from '../../../lib/local/runtime/build-connection.ts';
import type { LocalLake } from '../../../lib/local/lake/local-lake.ts';

export const CHURN_FEATURE_TABLE = 'customer_churn_features';

export function churnFeatureDatabase(identity: Parameters<typeof glueDatabaseName>[0]): string {
  return glueDatabaseName(identity, 'marketing');
}

export async function seedChurnFeatureTable(lake: LocalLake, database: string, rows = 600): Promise<void> {
  lake.createTable(database, CHURN_FEATURE_TABLE, [
    { name: 'customer_id', type: 'VARCHAR' },
    { name: 'marketing_opt_in', type: 'BOOLEAN' },
    { name: 'orders', type: 'BIGINT' },
    { name: 'revenue', type: 'DOUBLE' },
    { name: 'web_events', type: 'BIGINT' },
    { name: 'churned', type: 'BOOLEAN' },
  ]);
  const connection = await openBuildConnection(lake);
  try {
    await lake.write(
      connection.connection,
      database,
      CHURN_FEATURE_TABLE,
      'append',
      `INSERT INTO {{target}}
       SELECT 'C' || lpad(CAST(i AS VARCHAR), 5, '0'), i % 3 = 0, i % 7, (i % 7) * 20.5 + i % 13, (i * 7) % 11, ((i % 7) <= 1) <> (i % 10 = 0)
       FROM range(${rows}) AS t(i)`,
    );
  } finally {
    connection.close();
  }
}
