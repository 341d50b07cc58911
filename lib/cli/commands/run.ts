import { isAbsolute, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { UnknownEnvironmentError } from '../../local/local-environment.ts';
import type { LocalPipelineRuntime, PipelineRun } from '../../local/runtime/pipeline-runtime.ts';
import { ReleaseError, UnknownDatasetError } from '../../local/runtime/runtime-errors.ts';
import type { Command } from '../command.ts';
import { parseIngestTime } from '../ingest-time-option.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson, type CommandIO } from '../io.ts';
import { requireFile } from '../path-arguments.ts';
import { UsageError } from '../usage-error.ts';

/** `--env` and `--lake`, which every command on the offline runtime takes. */
export const RUNTIME_OPTIONS = {
  env: { type: 'string', default: 'dev' },
  lake: { type: 'string' },
} as const;

/**
 * The runtime for the working directory's `cdk.json` and contracts, its progress on stderr.
 * What a user can fix in the call (an unknown environment or dataset, a delivery that cannot be
 * released) is a usage error; `action` runs with the runtime and it is closed afterwards. The
 * runtime and the CDK app it is given are seconds of imports the other commands should not pay, so
 * they are imported here, when a command needs them.
 */
export async function withRuntime<T>(
  options: { readonly env: string; readonly lake?: string | undefined },
  io: CommandIO,
  action: (runtime: LocalPipelineRuntime) => Promise<T>,
): Promise<T> {
  const projectRoot = process.cwd();
  const { LocalPipelineRuntime } = await import('../../local/runtime/pipeline-runtime.ts');
  const { openOfflineEnvironment } = await import('../offline-environment.ts');
  let runtime: LocalPipelineRuntime;
  try {
    runtime = await LocalPipelineRuntime.start({
      projectRoot,
      synthesized: openOfflineEnvironment({ projectRoot, environment: options.env }),
      workspace: options.lake ?? join(projectRoot, '.lake'),
      log: (line) => io.err(line),
    });
  } catch (error) {
    if (error instanceof UnknownEnvironmentError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await action(runtime);
  } catch (error) {
    if (error instanceof UnknownDatasetError || error instanceof ReleaseError) throw new UsageError(error.message);
    throw error;
  } finally {
    await runtime.close();
  }
}

/** 0 when the execution succeeded, 1 when the data broke its contract, 2 when the pipeline could not process it. */
export function runExitCode(run: PipelineRun): ExitCode {
  if (run.status === 'SUCCEEDED') return ExitCode.success;
  return run.rejected ? ExitCode.checksFailed : ExitCode.usage;
}

/** The run as `--json` prints it. */
export function runDocument(run: PipelineRun): Record<string, unknown> {
  return {
    status: run.status,
    ...(run.error === undefined ? {} : { error: run.error, cause: run.cause ?? null }),
    dataset: run.dataset,
    file: run.file,
    fileId: run.fileId ?? null,
    ingestDate: run.ingestDate ?? null,
    execution: run.executionArn,
    states: run.states,
    rowsLoaded: run.rowsLoaded,
    rowsQuarantined: run.rowsQuarantined,
    reportKey: run.reportKey ?? null,
    reportPath: run.reportPath ?? null,
    table: run.table,
    tablePath: run.tablePath,
  };
}

function verdict(run: PipelineRun): string {
  if (run.status === 'SUCCEEDED') {
    return run.rowsQuarantined === 0
      ? 'SUCCEEDED'
      : `SUCCEEDED, with ${run.rowsQuarantined} row${run.rowsQuarantined === 1 ? '' : 's'} quarantined (see the report)`;
  }
  if (run.rejected) return 'FAILED: the file broke its contract and was quarantined (see the report)';
  return `${run.status}: ${run.error ?? 'the pipeline failed'}${run.cause === undefined ? '' : ` (${run.cause})`}`;
}

/** Width of the summary's labels: the longest, `release record`, and two spaces. */
export const LABEL_WIDTH = 18;

/** The summary people read after the progress lines. */
export function renderRun(run: PipelineRun): string {
  // Paths inside the working directory read best relative to it; others stay absolute.
  const here = (path: string): string => {
    const inside = relative(process.cwd(), path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  };
  const rows: [string, string][] = [
    ['states', `${run.states.length}: ${run.states.map((visit) => visit.state).join(' → ')}`],
    ['file', `${run.file}${run.fileId === undefined ? '' : ` (file id ${run.fileId})`}`],
    ['rows loaded', `${run.rowsLoaded} into ${run.table} (${here(run.tablePath)})`],
    ['rows quarantined', String(run.rowsQuarantined)],
    ...(run.reportKey === undefined ? [] : ([['report', `${run.reportKey}\n${' '.repeat(LABEL_WIDTH + 2)}${here(run.reportPath!)}`]] as [string, string][])),
  ];
  return [`${run.dataset}: ${verdict(run)}`, ...rows.map(([label, value]) => `  ${label.padEnd(LABEL_WIDTH)}${value}`)].join('\n');
}


export const run: Command = {
  words: ['run'],
  usage: 'run <domain>/<dataset> <file> [--env <name>] [--ingest-time <iso>] [--json] [--lake <dir>]',
  summary: "land a file and run its dataset's synthesized pipeline offline; exit 1 if the data broke its contract",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false }, 'ingest-time': { type: 'string' } },
    });
    if (positionals.length !== 2) throw new UsageError(`expected a dataset and a file, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
    const [ref, file] = positionals as [string, string];
    if (!/^[^/]+\/[^/]+$/.test(ref)) throw new UsageError(`'${ref}' is not <domain>/<dataset>`);
    requireFile(file, 'file');
    const ingestTime = parseIngestTime(values['ingest-time']);

    return withRuntime(values, io, async (runtime) => {
      const result = await runtime.run(ref, file, { ingestTime });
      if (values.json) printJson(io, runDocument(result));
      else io.out(renderRun(result));
      if (result.status === 'SUCCEEDED') {
        const flags = [...(values.env === 'dev' ? [] : ['--env', values.env]), ...(values.lake === undefined ? [] : ['--lake', values.lake])];
        io.err(`next: npx lakehouse query 'SELECT count(*) FROM ${result.table}'${flags.map((flag) => ` ${flag}`).join('')}`);
      }
      return runExitCode(result);
    });
  },
};
