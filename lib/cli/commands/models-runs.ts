import { parseArgs } from 'node:util';
import { UnknownModelError } from '../../local/runtime/runtime-errors.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS, withRuntime } from './run.ts';
import { recordMetrics } from './training-record.ts';

/** Exit 0 with the runs (none is no error), 2 on a usage error. */
export const modelsRuns: Command = {
  words: ['models', 'runs'],
  usage: 'models runs <domain>/<model> [--env <name>] [--json] [--lake <dir>]',
  summary: "list an ML model's training runs from their records in the audit zone, newest first",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one ML model <domain>/<model>, got ${positionals.length} arguments`);
    const records = await withRuntime(values, io, async (runtime) => {
      try {
        return await runtime.trainingRuns(positionals[0]!);
      } catch (error) {
        if (error instanceof UnknownModelError) throw new UsageError(error.message);
        throw error;
      }
    });
    if (values.json) {
      printJson(io, records);
      return ExitCode.success;
    }
    if (records.length === 0) {
      io.err(`no training runs of ${positionals[0]} yet (lakehouse models train ${positionals[0]})`);
      return ExitCode.success;
    }
    const row = (record: (typeof records)[number]): string[] => {
      const { status, version } = record.outcome as { status: string; version?: number };
      return [
        record.runId,
        record.startedAt,
        status,
        version === undefined ? '-' : String(version),
        typeof record['featureSnapshotId'] === 'string' ? record['featureSnapshotId'] : '-',
        Object.entries(recordMetrics(record)).map(([name, value]) => `${name}=${value}`).join(' ') || '-',
      ];
    };
    io.out(renderTable(['RUN', 'STARTED', 'OUTCOME', 'VERSION', 'FEATURE SNAPSHOT', 'METRICS'], records.map(row)));
    return ExitCode.success;
  },
};
