import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { currentUser } from '../current-user.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { LABEL_WIDTH, RUNTIME_OPTIONS, withRuntime } from './run.ts';

/**
 * Exit 0 when the lock was cleared, 1 when nothing was unlocked (no lock was held, or a run took
 * it over meanwhile, which keeps it), 2 on a usage error.
 */
export const unlock: Command = {
  words: ['unlock'],
  usage: 'unlock <domain>/<dataset> --reason <text> [--env <name>] [--json] [--lake <dir>]',
  summary: "clear a dataset's lock by hand, recorded in the audit zone; exit 1 if no lock was held",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false }, reason: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one dataset, got ${positionals.length}`);
    const ref = positionals[0]!;
    if (!/^[^/]+\/[^/]+$/.test(ref)) throw new UsageError(`'${ref}' is not <domain>/<dataset>`);
    const reason = values.reason?.trim() ?? '';
    if (reason === '') throw new UsageError('--reason is required: the audit record says why the lock was cleared');

    return withRuntime(values, io, async (runtime) => {
      const { unlockDataset } = await import('../../local/runtime/manual-unlock.ts');
      const result = await unlockDataset(runtime, ref, reason, currentUser());
      if (values.json) {
        printJson(io, { dataset: ref, ...result });
      } else if (result.status === 'unlocked') {
        const { previousHolder } = result.record;
        io.out(
          [
            `${ref}: unlocked`,
            `  ${'held by'.padEnd(LABEL_WIDTH)}${previousHolder.execution} (${previousHolder.status})`,
            `  ${'unlock record'.padEnd(LABEL_WIDTH)}${result.recordKey}`,
          ].join('\n'),
        );
      }
      if (result.status === 'not-locked') io.err(`${ref} is not locked in ${runtime.paths.root}: nothing to unlock`);
      if (result.status === 'changed-hands') io.err(`${ref}: a run took the lock over meanwhile and keeps it (${result.holder}); nothing was unlocked`);
      return result.status === 'unlocked' ? ExitCode.success : ExitCode.checksFailed;
    });
  },
};
