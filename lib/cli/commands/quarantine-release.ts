import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { currentUser } from '../current-user.ts';
import { printJson } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { LABEL_WIDTH, renderRun, runDocument, runExitCode, RUNTIME_OPTIONS, withRuntime } from './run.ts';

export const quarantineRelease: Command = {
  words: ['quarantine', 'release'],
  usage: 'quarantine release <id> [--env <name>] [--json] [--lake <dir>]',
  summary: "run a quarantined delivery through its pipeline again with the current contract; recorded in the audit zone",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one id (see \`lakehouse quarantine list\`), got ${positionals.length}`);
    return withRuntime(values, io, async (runtime) => {
      const { run, recordKey } = await runtime.release(positionals[0]!, currentUser());
      if (values.json) printJson(io, { ...runDocument(run), releaseRecord: recordKey });
      else io.out(`${renderRun(run)}\n  ${'release record'.padEnd(LABEL_WIDTH)}${recordKey}`);
      return runExitCode(run);
    });
  },
};
