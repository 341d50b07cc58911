import { parseArgs } from 'node:util';
import { localEnvironment, UnknownEnvironmentError } from '../../local/local-environment.ts';
import { compileForEnvironment } from '../../transforms/compiled-project.ts';
import { LAKE_TARGET, modelSteps } from '../../transforms/model-steps.ts';
import { modelRelation } from '../../transforms/render.ts';
import { selectModels, SelectorError } from '../../transforms/select-models.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { UsageError } from '../usage-error.ts';

const DIALECTS = ['athena', 'duckdb'] as const;

export const compile: Command = {
  words: ['compile'],
  usage: 'compile <domain>/<model> [--dialect athena|duckdb] [--env <name>] [--json]',
  summary: 'print the SQL steps a model runs as (build staging, tests, publish), default Athena',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        dialect: { type: 'string', default: 'athena' },
        env: { type: 'string', default: 'dev' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected one model, as <domain>/<model>');
    const dialect = values.dialect as (typeof DIALECTS)[number];
    if (!DIALECTS.includes(dialect)) throw new UsageError(`--dialect must be athena or duckdb, not '${values.dialect}'`);
    const { catalog, identity } = environment(values.env);
    const compiled = await compileForEnvironment(catalog, identity);
    const name = positionals[0]!;
    if (name.startsWith('+') || name.endsWith('+')) throw new UsageError(`compile takes one model, not a selector: '${name}'`);
    let id: string;
    try {
      id = selectModels(compiled.dag, name)[0]!;
    } catch (error) {
      if (error instanceof SelectorError) throw new UsageError(error.message);
      throw error;
    }
    const model = compiled.dag.models.find((candidate) => candidate.id === id)!;
    const columns = compiled.columns.get(id)!;
    const target = modelRelation(model, compiled.placement);
    const steps = modelSteps(model, columns.map((column) => column.name), compiled.placement).map((step) => ({
      name: step.name,
      role: step.role,
      sql: dialect === 'athena' ? step.athena : step.duckdb.replaceAll(LAKE_TARGET, target),
    }));
    if (values.json) {
      printJson(io, { model: id, dialect, materialized: model.materialized, table: target, columns, steps });
    } else {
      io.out(steps.map((step) => `-- ${step.name} (${step.role})\n${step.sql};`).join('\n\n'));
    }
    return ExitCode.success;
  },
};

/** The environment of `--env`; an unknown name is a usage error. */
export function environment(name: string): ReturnType<typeof localEnvironment> {
  try {
    return localEnvironment(process.cwd(), name);
  } catch (error) {
    if (error instanceof UnknownEnvironmentError) throw new UsageError(error.message);
    throw error;
  }
}
