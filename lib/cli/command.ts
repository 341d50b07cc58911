import type { ExitCode } from './exit-codes.ts';
import type { CommandIO } from './io.ts';

/** One `lakehouse` command: its words (`contracts check`), its usage line, and what it does. */
export interface Command {
  readonly words: readonly string[];
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], io: CommandIO): Promise<ExitCode>;
}
