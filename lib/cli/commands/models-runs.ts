import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';
import { onMlModel } from './ml-model-runtime.ts';
import { recordMetrics } from './training-record.ts';

/** Exit 0 with the runs (none is no error), 2 on a usage error. */
export const modelsRuns: Command = {
  words: ['models', 'runs'],
  usage: 'models runs <domain>/<model> [--env <name>] [--json] [--lake <dir>]',
  summary: "list an ML model's training runs from their records in the audit zone, newest first",
  async run(args, io) {
    const { json, model, result: records } = await onMlModel(args, io, (runtime, named) => runtime.trainingRuns(named));
    if (json) {
      printJson(io, records);
      return ExitCode.success;
    }
    if (records.length === 0) {
      io.err(`no training runs of ${model} yet (lakehouse models train ${model})`);
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
        record.durationMs === null ? '-' : `${(record.durationMs / 1000).toFixed(1)} s`,
        Object.entries(recordMetrics(record)).map(([name, value]) => `${name}=${value}`).join(' ') || '-',
      ];
    };
    io.out(renderTable(['RUN', 'STARTED', 'OUTCOME', 'VERSION', 'FEATURE SNAPSHOT', 'DURATION', 'METRICS'], records.map(row)));
    return ExitCode.success;
  },
};
