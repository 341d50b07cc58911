import { checkCatalog } from '../../contracts/load.ts';
import { formatProblem } from '../../contracts/problems.ts';
import type { Command } from '../command.ts';
import { parseContractsRootArgs } from '../contracts-root-args.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';

export const contractsCheck: Command = {
  words: ['contracts', 'check'],
  usage: 'contracts check [dir] [--json]',
  summary: 'check every domain and contract under dir (default: contracts); exit 1 on any problem',
  async run(args, io) {
    const { root, json } = parseContractsRootArgs(args);

    const { catalog, problems } = checkCatalog(root);
    const datasets = catalog?.domains.reduce((sum, domain) => sum + domain.datasets.length, 0) ?? 0;
    if (json) {
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
