import { checkCatalog, sortProblems } from '../../contracts/load.ts';
import { formatProblem } from '../../contracts/problems.ts';
import { checkMlModels } from '../../ml/load.ts';
import type { Command } from '../command.ts';
import { parseContractsRootArgs } from '../contracts-root-args.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { projectSettings } from '../project-settings.ts';

export const contractsCheck: Command = {
  words: ['contracts', 'check'],
  usage: 'contracts check [dir] [--json]',
  summary: 'check every domain, contract and ML model spec under dir (default: contracts); exit 1 on any problem (warnings are printed, exit 0)',
  async run(args, io) {
    const { root, json } = parseContractsRootArgs(args);

    const { catalog, problems: contractProblems, warnings } = checkCatalog(root);
    // Specs are checked against the compiled models, which need a catalog without problems.
    const ml = catalog === undefined ? undefined : await checkMlModels(catalog, projectSettings);
    const problems = [...contractProblems, ...(ml?.problems ?? [])];
    const datasets = catalog?.domains.reduce((sum, domain) => sum + domain.datasets.length, 0) ?? 0;
    const mlModels = ml?.models?.length ?? 0;
    if (json) {
      printJson(io, { ok: problems.length === 0, datasets, mlModels, problems, warnings });
    } else {
      for (const problem of sortProblems([...problems, ...warnings])) io.out(formatProblem(problem));
      const files = new Set(problems.map((problem) => problem.file)).size;
      const models = mlModels === 0 ? '' : `, ${mlModels} ML model${mlModels === 1 ? '' : 's'}`;
      const warned = warnings.length === 0 ? '' : `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`;
      io.err(
        problems.length === 0
          ? `${root}: ${catalog?.domains.length ?? 0} domains, ${datasets} datasets${models}, no problems${warned}`
          : `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${warned}`,
      );
    }
    return problems.length === 0 ? ExitCode.success : ExitCode.checksFailed;
  },
};
