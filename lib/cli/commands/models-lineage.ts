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

function notFoundMessage(result: Extract<LineageResult, { reason: 'no-prediction' }>): string {
  const batches = result.batches.map((batch) => `${batch.batch} (version ${batch.version}, ${batch.predictedAt}, ${batch.rows} rows)`);
  return `no prediction of ${result.model} for ${predictionKeyText(result.key)}; ${batches.length === 0 ? 'no batch was scored yet (a version is scored when it is approved)' : `batches: ${batches.join('; ')}`}`;
}

/**
 * What on-call needs when the registry's version is not the package that scored the prediction:
 * the prediction's own facts (printed in --json), both ARNs, and why nothing more is traced.
 */
function mismatchMessage(result: Extract<LineageResult, { reason: 'version-mismatch' }>): string {
  const { prediction } = result;
  const registered = result.registryArn === null ? `has no version ${prediction.version}` : `holds ${result.registryArn} as version ${prediction.version}`;
  return (
    `the prediction of ${result.model} for ${predictionKeyText(result.key)} (batch ${prediction.batch}) was scored by ${prediction.modelPackageArn}, ` +
    `but Model Package Group ${result.group} in this registry ${registered}: its version, run and training set are not traced from another package ` +
    '(was the lake copied from another environment or account, or the group recreated?)'
  );
}

/**
 * Exit 0 with the lineage; 1 when no prediction has that key (naming the batches there are) or
 * the registry's version is not the package that scored it (naming both); 2 on a usage error.
 */
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
    if (!result.found && result.reason === 'version-mismatch') {
      io.err(mismatchMessage(result));
      if (values.json) printJson(io, { model: result.model, prediction: result.prediction, version: null, registryArn: result.registryArn });
      return ExitCode.checksFailed;
    }
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
