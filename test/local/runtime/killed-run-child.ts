/**
 * A `lakehouse run` that test/local/runtime/killed-run.test.ts kills with SIGKILL in the middle of
 * its Load: the Load writes the change's data file (the lake's own `stageWrite`, as the real load
 * does before it commits), says `loading` on stdout, and never commits. Arguments: the workspace.
 */
import { silverTableName } from '../../../lib/config/names.ts';
import { TARGET_PLACEHOLDER } from '../../../lib/pipeline/lake-write.ts';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import { LocalPipelineRuntime } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { PIPELINE_STATES } from '../../../lib/pipeline/state-names.ts';
import { repoRoot, SAMPLE_INGEST_TIME, sample } from './helpers.ts';

const runtime = await LocalPipelineRuntime.start({
  projectRoot: repoRoot,
  workspace: process.argv[2]!,
  synthesized: openOfflineEnvironment({ projectRoot: repoRoot, environment: 'dev' }),
  retryPauseMs: 0,
  waitPauseMs: 0,
});
const dataset = runtime.dataset('sales/orders');
await runtime.run('sales/orders', sample('sales', 'orders.csv'), {
  ingestTime: SAMPLE_INGEST_TIME,
  wrapTask: (state, handler) =>
    state !== PIPELINE_STATES.load
      ? handler
      : async () => {
          const { DuckDBInstance } = await import('@duckdb/node-api');
          const connection = await (await DuckDBInstance.create(':memory:')).connect();
          const table = silverTableName(dataset);
          const columns = runtime.lake.currentSnapshot(runtime.database(dataset), table).schema;
          const row = columns.map((column) => `CAST(NULL AS ${column.type})`).join(', ');
          await runtime.lake.stageWrite(connection, runtime.database(dataset), table, 'append', `INSERT INTO ${TARGET_PLACEHOLDER} VALUES (${row})`);
          process.stdout.write('loading\n');
          return new Promise(() => undefined);
        },
});
