import { parseArgs } from 'node:util';
import type { LineageResult } from '../../local/runtime/pipeline-runtime.ts';
import { UnknownModelError } from '../../local/runtime/runtime-errors.ts';
import { PredictionKeyError } from '../../ml/prediction-key.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { lineageLines, predictionKeyText } from '../lineage-report.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS, withRuntime } from './run.ts';

function notFoundMessage(result: Extract<LineageResult, { found: false }>): string {
  const batches = result.batches.map((batch) => `${batch.batch} (version ${batch.version}, ${batch.predictedAt}, ${batch.rows} rows)`);
  return `no prediction of ${result.model} for ${predictionKeyText(result.key)}; ${batches.length === 0 ? 'no batch was scored yet (a version is scored when it is approved)' : `batches: ${batches.join('; ')}`}`;
}

/** Exit 0 with the lineage, 1 when no prediction has that key (naming the batches there are), 2 on a usage error. */
export const modelsLineage: Command = {
  words: ['models', 'lineage'],
  usage: 'models lineage <domain>/<model> --prediction <key> [--env <name>] [--json] [--lake <dir>]',
  summary: "trace an ML model's prediction to its version, training run, training set, feature snapshots and contract versions",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false }, prediction: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one ML model <domain>/<model>, got ${positionals.length} arguments`);
    if (values.prediction === undefined) throw new UsageError("missing --prediction <key>: the key's value, or col=value,col=value for a key of several columns");
    const [model] = positionals as [string];
    const prediction = values.prediction;
    const result = await withRuntime(values, io, async (runtime) => {
      try {
        return await runtime.predictionLineage(model, prediction);
      } catch (error) {
        if (error instanceof UnknownModelError || error instanceof PredictionKeyError) throw new UsageError(error.message);
        throw error;
      }
    });
    if (!result.found) {
      io.err(notFoundMessage(result));
      if (values.json) printJson(io, { model: result.model, prediction: null, key: result.key, batches: result.batches });
      return ExitCode.checksFailed;
    }
    if (values.json) printJson(io, result.lineage);
    else io.out(lineageLines(result.lineage).join('\n'));
    return ExitCode.success;
  },
};
