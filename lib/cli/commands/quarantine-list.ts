import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS, withRuntime } from './run.ts';

/** At most this many rule ids in the table; `--json` has them all. */
const RULES_SHOWN = 3;

export const quarantineList: Command = {
  words: ['quarantine', 'list'],
  usage: 'quarantine list [<domain>/<dataset>] [--env <name>] [--json] [--lake <dir>]',
  summary: 'list quarantined deliveries in the local quarantine zone, by id (their file_id)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one dataset, got ${positionals.length}`);
    return withRuntime(values, io, async (runtime) => {
      const entries = await runtime.quarantined(positionals[0]);
      if (values.json) {
        printJson(io, entries);
        return ExitCode.success;
      }
      if (entries.length === 0) {
        io.err(`nothing is quarantined${positionals[0] === undefined ? '' : ` for ${positionals[0]}`} in ${runtime.paths.root}`);
        return ExitCode.success;
      }
      const rows = entries.map((entry) => [
        entry.fileId,
        entry.dataset,
        entry.file.slice(entry.file.indexOf('/', 's3://'.length) + 1),
        entry.ingestDate,
        `${entry.rowsQuarantined}/${entry.rowCount}`,
        entry.failedRules.length > RULES_SHOWN
          ? `${entry.failedRules.slice(0, RULES_SHOWN).join(', ')} +${entry.failedRules.length - RULES_SHOWN}`
          : entry.failedRules.join(', '),
        entry.released ?? '',
      ]);
      io.out(renderTable(['ID', 'DATASET', 'FILE', 'INGEST DATE', 'QUARANTINED', 'FAILED RULES', 'RELEASED'], rows));
      io.err('release one after fixing its contract or data: npx lakehouse quarantine release <id>');
      return ExitCode.success;
    });
  },
};
