import { parseArgs } from 'node:util';
import { loadContractFile } from '../../contracts/load.ts';
import { didYouMean } from '../../contracts/did-you-mean.ts';
import { lakehouseNameOf } from '../../contracts/lakehouse-name.ts';
import type { Dataset } from '../../contracts/model.ts';
import { ContractError, formatProblem } from '../../contracts/problems.ts';
import { fileKindOf } from '../../validation/read/file-kind.ts';
import { validateFile } from '../../validation/validate-file.ts';
import type { Command } from '../command.ts';
import { parseIngestTime } from '../ingest-time-option.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { requireFile } from '../path-arguments.ts';
import { renderReport } from '../render-report.ts';
import { UsageError } from '../usage-error.ts';

function pickDataset(datasets: readonly Dataset[], requested: string | undefined, contractFile: string): Dataset {
  if (requested === undefined) {
    if (datasets.length === 1) return datasets[0]!;
    throw new UsageError(
      `${contractFile} holds ${datasets.length} datasets (${datasets.map((d) => d.name).join(', ')}): choose one with --dataset`,
    );
  }
  // A dataset is picked by its lakehouse name or by its name as the contract writes it.
  const found = datasets.find((dataset) => dataset.name === requested || dataset.name === lakehouseNameOf(requested));
  if (found) return found;
  const names = datasets.map((dataset) => dataset.name);
  const hint = didYouMean(requested, names);
  throw new UsageError(`${contractFile} has no dataset '${requested}'${hint} (it has: ${names.join(', ')})`);
}


export const validate: Command = {
  words: ['validate'],
  usage: 'validate --contract <file> <data-file> [--dataset <name>] [--json] [--out <dir>] [--ingest-time <iso>]',
  summary: 'check a data file against its contract; exit 1 if it breaks it',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        contract: { type: 'string' },
        dataset: { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        'ingest-time': { type: 'string' },
      },
    });
    if (values.contract === undefined) throw new UsageError('--contract <file> is required');
    if (positionals.length !== 1) throw new UsageError(`expected one data file, got ${positionals.length}`);
    const dataFile = positionals[0]!;
    requireFile(dataFile, 'data file');
    requireFile(values.contract, 'contract file');
    const ingestTime = parseIngestTime(values['ingest-time']);

    let datasets: readonly Dataset[];
    try {
      // A contract may name no file format (its servers are not s3, or it has none): the data file's name says it.
      ({ datasets } = loadContractFile(values.contract, { fileFormat: fileKindOf(dataFile)?.format }));
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      for (const problem of error.problems) io.err(formatProblem(problem));
      io.err(`lakehouse validate: the contract does not load; nothing was validated`);
      return ExitCode.usage;
    }
    const dataset = pickDataset(datasets, values.dataset, values.contract);

    const { report, outputs } = await validateFile({ dataset, file: dataFile, ingestTime, outDir: values.out });
    if (values.json) printJson(io, report);
    else io.out(renderReport(report));
    if (values.out !== undefined) {
      const written = Object.values(outputs).filter((path): path is string => path !== undefined);
      io.err(written.length > 0 ? `wrote ${written.join(', ')}` : `nothing written to ${values.out}`);
    }
    return report.passed ? ExitCode.success : ExitCode.checksFailed;
  },
};
