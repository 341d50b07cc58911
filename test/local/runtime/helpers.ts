/** A local pipeline runtime over a fresh workspace, and ways to look at what its runs left behind. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { silverTableName } from '../../../lib/config/names.ts';
import { openOfflineEnvironment } from '../../../lib/cli/offline-environment.ts';
import type { Dataset } from '../../../lib/contracts/model.ts';
import { attachLake } from '../../../lib/local/lake/attach-lake.ts';
import { LocalPipelineRuntime, type LocalPipelineRuntimeOptions } from '../../../lib/local/runtime/pipeline-runtime.ts';
import { jsonValue } from '../../../lib/validation/json-value.ts';
import type { JsonValue } from '../../../lib/validation/report.ts';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Every shipped sample was delivered at this time (see the samples' READMEs). */
export const SAMPLE_INGEST_TIME = new Date('2026-11-21T06:00:00Z');

export function sample(domain: string, file: string): string {
  return join(repoRoot, 'contracts', domain, 'samples', file);
}

export interface RuntimeFixture {
  readonly runtime: LocalPipelineRuntime;
  readonly workspace: string;
  close(): Promise<void>;
}

/** A runtime on the repository's `cdk.json`, its workspace a temporary folder; retries and waits take no time. */
export async function startRuntime(options: Partial<LocalPipelineRuntimeOptions> & { readonly contractsRoot?: string } = {}): Promise<RuntimeFixture> {
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'runtime-workspace-'));
  const { contractsRoot, ...runtimeOptions } = options;
  const synthesized =
    options.synthesized ?? openOfflineEnvironment({ projectRoot: repoRoot, environment: 'dev', ...(contractsRoot === undefined ? {} : { contractsRoot }) });
  const runtime = await LocalPipelineRuntime.start({ projectRoot: repoRoot, workspace, retryPauseMs: 0, waitPauseMs: 0, ...runtimeOptions, synthesized });
  return {
    runtime,
    workspace,
    async close() {
      await runtime.close();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** The silver table's rows as DuckDB reads the local lake, ordered. */
export async function tableRows(runtime: LocalPipelineRuntime, dataset: Dataset, orderBy: string): Promise<Record<string, JsonValue>[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    await attachLake(connection, runtime.lake);
    const relation = `"${runtime.database(dataset)}"."${silverTableName(dataset)}"`;
    const reader = await connection.runAndReadAll(`SELECT * FROM ${relation} ORDER BY ${orderBy}`);
    return reader.getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, jsonValue(value)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The JSON lines of one of the workspace's logs (alerts, events, metrics); none when it does not exist. */
export function logLines(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Lock items left in the workspace, by file name. */
export function heldLocks(runtime: LocalPipelineRuntime): string[] {
  if (!existsSync(runtime.paths.locks)) return [];
  return readdirSync(runtime.paths.locks, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.json'));
}
