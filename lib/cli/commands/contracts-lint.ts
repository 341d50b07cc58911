import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lintContract, type LintProblem } from '../../contracts/lint.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { requireFile } from '../path-arguments.ts';
import { UsageError } from '../usage-error.ts';

export const contractsLint: Command = {
  words: ['contracts', 'lint'],
  usage: 'contracts lint <file> [--json]',
  summary: "check one contract, anywhere, against the ODCS standard's schema for its apiVersion and the lakehouse's rules: every problem at once, each saying who refuses it (odcs or lakehouse)",
  async run(args, io) {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new UsageError(`expected one contract file, got ${positionals.length}`);
    const file = positionals[0]!;
    requireFile(file, 'contract file');
    const result = lintContract(file, readText(file));

    const errors = result.problems.filter((problem) => problem.severity === 'error').length;
    const warnings = result.problems.length - errors;
    if (values.json) {
      printJson(io, result);
    } else {
      for (const problem of result.problems) io.out(formatLintProblem(problem));
      io.err(`${file}: ${count(errors, 'problem')}, ${count(warnings, 'warning')} (apiVersion ${result.apiVersion ?? 'not given'})`);
    }
    return errors === 0 ? ExitCode.success : ExitCode.checksFailed;
  },
};

/** `file:line:column: [odcs] message`, `[yaml]` for a syntax error, or `... warning: [lakehouse] message`: who refuses, then why. */
function formatLintProblem(problem: LintProblem): string {
  const severity = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${severity}[${problem.source}] ${problem.message}`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
