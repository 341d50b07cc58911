import { parseArgs } from 'node:util';
import { LocalLake } from '../../local/lake/local-lake.ts';
import { workspaceAt } from '../../local/workspace.ts';
import type { ModelOutcome } from '../../local/build/build-models.ts';
import { buildEnvironmentModels } from '../../local/build/build-environment.ts';
import { MODEL_OUTCOME_HEADINGS, modelOutcomeCells, modelSucceeded } from '../../local/build/model-outcomes.ts';
import { SelectorError } from '../../transforms/select-models.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson, type CommandIO } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { environment } from './compile.ts';

export const build: Command = {
  words: ['build'],
  usage: 'build [<selector>] [--env <name>] [--json] [--lake <dir>]',
  summary: 'build and test models offline in DAG order (<domain>/<model>, +<model> upstream, <model>+ downstream)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        env: { type: 'string', default: 'dev' },
        json: { type: 'boolean', default: false },
        lake: { type: 'string' },
      },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one selector, got ${positionals.length}`);
    const { catalog, identity } = environment(values.env);
    const lake = new LocalLake(workspaceAt(values.lake).root);
    let outcomes: ModelOutcome[];
    try {
      outcomes = await buildEnvironmentModels({ catalog, identity, lake, selector: positionals[0] });
    } catch (error) {
      if (error instanceof SelectorError) throw new UsageError(error.message);
      throw error;
    }
    if (values.json) printJson(io, { env: values.env, passed: outcomes.every(modelSucceeded), models: outcomes });
    else printOutcomes(io, outcomes);
    return outcomes.every(modelSucceeded) ? ExitCode.success : ExitCode.checksFailed;
  },
};

function printOutcomes(io: CommandIO, outcomes: readonly ModelOutcome[]): void {
  if (outcomes.length === 0) {
    io.err('no models to build');
    return;
  }
  io.out(renderTable(MODEL_OUTCOME_HEADINGS, outcomes.map(modelOutcomeCells)));
  for (const outcome of outcomes) {
    if (outcome.message !== undefined) io.err(`${outcome.model}: ${outcome.message}`);
    for (const test of outcome.tests.filter((candidate) => !candidate.passed)) {
      io.err(`  ${test.severity === 'error' ? 'FAIL' : 'WARN'} ${outcome.model} ${test.name}: ${test.failedCount} failing row${test.failedCount === 1 ? '' : 's'}`);
      for (const sample of test.samples) io.err(`    ${JSON.stringify(sample)}`);
    }
  }
}
