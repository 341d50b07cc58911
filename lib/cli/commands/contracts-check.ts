import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { checkCatalog } from '../../contracts/load.ts';
import { formatProblem } from '../../contracts/problems.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { UsageError } from '../usage-error.ts';

export const contractsCheck: Command = {
  words: ['contracts', 'check'],
  usage: 'contracts check [dir] [--json]',
  summary: 'check every domain and contract under dir (default: contracts); exit 1 on any problem',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.length}`);
    const root = positionals[0] ?? 'contracts';
    if (!existsSync(root)) throw new UsageError(`no such directory: ${root}`);

    const { catalog, problems } = checkCatalog(root);
    const datasets = catalog?.domains.reduce((sum, domain) => sum + domain.datasets.length, 0) ?? 0;
    if (values.json) {
      printJson(io, { ok: problems.length === 0, datasets, problems });
    } else {
      for (const problem of problems) io.out(formatProblem(problem));
      const files = new Set(problems.map((problem) => problem.file)).size;
      io.err(
        problems.length === 0
          ? `${root}: ${catalog?.domains.length ?? 0} domains, ${datasets} datasets, no problems`
          : `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`,
      );
    }
    return problems.length === 0 ? ExitCode.success : ExitCode.checksFailed;
  },
};
