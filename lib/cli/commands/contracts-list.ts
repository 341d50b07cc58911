import { checkCatalog } from '../../contracts/load.ts';
import { formatProblem } from '../../contracts/problems.ts';
import type { Command } from '../command.ts';
import { parseContractsRootArgs } from '../contracts-root-args.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';

/** One row of `contracts list --json`: a public shape (DESIGN.md), keep it stable. */
export interface ContractListing {
  readonly domain: string;
  readonly dataset: string;
  readonly contractId: string;
  readonly version: string;
  readonly status: string;
  readonly owner: string;
  readonly format: string;
  readonly file: string;
}

export const contractsList: Command = {
  words: ['contracts', 'list'],
  usage: 'contracts list [dir] [--json]',
  summary: 'list every dataset with its contract, version, owner and format',
  async run(args, io) {
    const { root, json } = parseContractsRootArgs(args);

    const { catalog, problems } = checkCatalog(root);
    if (!catalog || problems.length > 0) {
      for (const problem of problems) io.err(formatProblem(problem));
      io.err(`cannot list: the contracts have problems (run 'lakehouse contracts check ${root}')`);
      return ExitCode.usage;
    }
    const listing: ContractListing[] = catalog.domains.flatMap((domain) =>
      domain.datasets.map((dataset) => ({
        domain: domain.name,
        dataset: dataset.name,
        contractId: dataset.contract.id,
        version: dataset.contract.version,
        status: dataset.contract.status,
        owner: dataset.owner.team,
        format: dataset.format,
        file: dataset.contract.file,
      })),
    );
    if (json) {
      printJson(io, listing);
    } else {
      io.out(
        renderTable(
          ['DATASET', 'VERSION', 'STATUS', 'OWNER', 'FORMAT', 'CONTRACT'],
          listing.map((row) => [`${row.domain}/${row.dataset}`, row.version, row.status, row.owner, row.format, row.file]),
        ),
      );
    }
    return ExitCode.success;
  },
};
