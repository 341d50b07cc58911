import { parseArgs } from 'node:util';
import type { BuildModelOutcome } from '../../local/runtime/build-outcomes.ts';
import type { BuildRun } from '../../local/runtime/pipeline-runtime.ts';
import { SelectorError } from '../../transforms/select-models.ts';
import { MODEL_OUTCOME_HEADINGS, modelOutcomeCells } from '../build-outcome-table.ts';
import type { Command } from '../command.ts';
import { domainRunDocument } from '../machine-run-document.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson, type CommandIO } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS, withRuntime } from './run.ts';

export const build: Command = {
  words: ['build'],
  usage: 'build [<selector>] [--env <name>] [--json] [--lake <dir>]',
  summary: "run each domain's build state machine offline (<domain>/<model>, +<model> upstream, <model>+ downstream)",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one selector, got ${positionals.length}`);
    const runs = await withRuntime(values, io, async (runtime) => {
      try {
        return await runtime.build(positionals[0]);
      } catch (error) {
        if (error instanceof SelectorError) throw new UsageError(error.message);
        throw error;
      }
    });
    // The machine fails when a model failed its tests or could not run, or the build itself broke.
    const passed = runs.every((run) => run.status === 'SUCCEEDED');
    const models = runs.flatMap((run) => run.models);
    if (values.json) printJson(io, { env: values.env, passed, models, runs: runs.map(domainRunDocument) });
    else printOutcomes(io, runs, models);
    return passed ? ExitCode.success : ExitCode.checksFailed;
  },
};

function printOutcomes(io: CommandIO, runs: readonly BuildRun[], models: readonly BuildModelOutcome[]): void {
  if (runs.length === 0) {
    io.err('no models to build');
    return;
  }
  io.out(renderTable(MODEL_OUTCOME_HEADINGS, models.map(modelOutcomeCells)));
  for (const outcome of models) {
    if (outcome.message !== undefined) io.err(`${outcome.model}: ${outcome.message}`);
    for (const test of outcome.tests.filter((candidate) => !candidate.passed)) {
      io.err(`  ${test.severity === 'error' ? 'FAIL' : 'WARN'} ${outcome.model} ${test.name}: ${test.failedCount} failing row${test.failedCount === 1 ? '' : 's'}`);
      for (const sample of test.samples) io.err(`    ${JSON.stringify(sample)}`);
    }
  }
  // A build that failed before or outside its models (its lock held by another build) says why.
  for (const run of runs.filter((candidate) => candidate.status !== 'SUCCEEDED' && candidate.models.length === 0)) {
    io.err(`${run.stateMachine}: ${run.status} ${run.error ?? ''}: ${run.cause ?? ''}`);
  }
}
