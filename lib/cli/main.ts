import type { Command } from './command.ts';
import { build } from './commands/build.ts';
import { compile } from './commands/compile.ts';
import { contractsCheck } from './commands/contracts-check.ts';
import { contractsLint } from './commands/contracts-lint.ts';
import { contractsList } from './commands/contracts-list.ts';
import { docs } from './commands/docs.ts';
import { maintain } from './commands/maintain.ts';
import { modelsApprove } from './commands/models-approve.ts';
import { modelsLineage } from './commands/models-lineage.ts';
import { modelsList } from './commands/models-list.ts';
import { modelsRuns } from './commands/models-runs.ts';
import { modelsTrain } from './commands/models-train.ts';
import { quarantineList } from './commands/quarantine-list.ts';
import { quarantineRelease } from './commands/quarantine-release.ts';
import { query } from './commands/query.ts';
import { run } from './commands/run.ts';
import { unlock } from './commands/unlock.ts';
import { validate } from './commands/validate.ts';
import { ExitCode } from './exit-codes.ts';
import { MissingProjectError } from '../config/cdk-json.ts';
import { SettingsError } from '../config/settings.ts';
import { ContractError } from '../contracts/problems.ts';
import type { CommandIO } from './io.ts';
import { UsageError } from './usage-error.ts';

const commands: readonly Command[] = [contractsCheck, contractsLint, contractsList, validate, run, query, quarantineList, quarantineRelease, unlock, build, maintain, compile, modelsList, modelsApprove, modelsTrain, modelsRuns, modelsLineage, docs];

function usageText(): string {
  const width = Math.max(...commands.map((command) => command.usage.length));
  return [
    'usage: lakehouse <command> [options]',
    '',
    ...commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
    '',
    'exit codes: 0 success, 1 checks failed, 2 usage error or nothing could be processed',
  ].join('\n');
}

function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  const matches = commands.filter((command) => command.words.every((word, i) => argv[i] === word));
  const command = matches.sort((a, b) => b.words.length - a.words.length)[0];
  return command && { command, rest: argv.slice(command.words.length) };
}

/** Runs one `lakehouse` invocation and returns its exit code; never throws for bad input. */
export async function runCli(argv: readonly string[], io: CommandIO): Promise<ExitCode> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.err(usageText());
    return argv.length === 0 ? ExitCode.usage : ExitCode.success;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`lakehouse: unknown command '${argv.join(' ')}'\n\n${usageText()}`);
    return ExitCode.usage;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`lakehouse ${found.command.words.join(' ')}: ${(error as Error).message}\nusage: lakehouse ${found.command.usage}`);
      return ExitCode.usage;
    }
    if (error instanceof MissingProjectError) {
      io.err(`lakehouse ${found.command.words.join(' ')}: ${error.message}`);
      return ExitCode.usage;
    }
    if (error instanceof ContractError || error instanceof SettingsError) {
      io.err(`lakehouse ${found.command.words.join(' ')}: nothing was processed:\n${error.message}`);
      return ExitCode.usage;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
