/**
 * A change written into a silver table outside its pipeline, as someone with Athena rights could
 * run an `UPDATE` by hand, and its undoing: each one commit of the local lake. The change moves
 * every row's `_ingested_at` to now, as rewriting the rows does (an incremental model sees them as
 * changed); the undoing writes back the rows of the snapshot before it.
 */
import { INGESTED_AT_COLUMN, silverTableName } from '../../../config/names.ts';
import type { Dataset } from '../../../contracts/model.ts';
import { TARGET_PLACEHOLDER } from '../../../pipeline/lake-write.ts';
import { quoteIdentifier } from '../../../sql/ansi.ts';
import { snapshotRelation } from '../../lake/table-relation.ts';
import { openLocalDuckDb } from '../../local-duckdb.ts';
import type { LocalPipelineRuntime } from '../../runtime/pipeline-runtime.ts';

/**
 * Sets `column` of every row of the dataset's silver table to `expression` (DuckDB SQL over the
 * row); returns what puts the rows back as they were.
 */
export async function updateSilverRows(
  runtime: Pick<LocalPipelineRuntime, 'lake' | 'database'>,
  dataset: Dataset,
  column: string,
  expression: string,
  scratch: string,
): Promise<() => Promise<void>> {
  const { lake } = runtime;
  const database = runtime.database(dataset);
  const table = silverTableName(dataset);
  const before = lake.currentSnapshot(database, table);
  const write = async (statements: readonly string[]): Promise<void> => {
    const duckdb = await openLocalDuckDb(scratch);
    try {
      await lake.write(duckdb.connection, database, table, 'overwrite', statements);
    } finally {
      duckdb.close();
    }
  };
  await write([`UPDATE ${TARGET_PLACEHOLDER} SET ${quoteIdentifier(column)} = ${expression}, ${quoteIdentifier(INGESTED_AT_COLUMN)} = now()`]);
  // The table's rows are where an overwrite starts from: they give way to the earlier snapshot's.
  return () => write([`DELETE FROM ${TARGET_PLACEHOLDER}`, `INSERT INTO ${TARGET_PLACEHOLDER} SELECT * FROM (${snapshotRelation(lake.tableDirectory(database, table), before)})`]);
}
