import { LAKEHOUSE_NAME_RULE } from '../../contracts/lakehouse-name.ts';
import { checkCatalog } from '../../contracts/load.ts';
import type { ColumnType, LogicalType, NotEnforcedKind, TypeSource } from '../../contracts/model.ts';
import { formatPosition, formatProblem } from '../../contracts/problems.ts';
import { checkMlModels } from '../../ml/load.ts';
import type { Command } from '../command.ts';
import { parseContractsRootArgs } from '../contracts-root-args.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { ML_MODEL_HEADERS, mlModelListing, mlModelRow } from '../ml-model-listing.ts';
import { projectSettings } from '../project-settings.ts';
import { renderTable } from '../table.ts';

/** One row of `contracts list --json`: a public shape (DESIGN.md), keep it stable. */
export interface ContractListing {
  readonly domain: string;
  readonly dataset: string;
  readonly contractId: string;
  readonly version: string;
  readonly status: string;
  readonly owner: string;
  /**
   * The dataset's contract entries nothing enforces (issue 13 item 7), each as `where`
   * (`file:line:column`), `kind` and `reason`; absent when there are none.
   */
  readonly notEnforced?: readonly { readonly where: string; readonly kind: NotEnforcedKind; readonly reason: string }[];
  readonly format: string;
  readonly file: string;
  /** The Glue/Athena table: the dataset's lakehouse name (`nameRule`), `_v<major>` from major 2 on. */
  readonly table: string;
  /** How the lakehouse derives dataset, table and column names from the names the contract writes. */
  readonly nameRule: string;
  readonly columns: readonly ColumnListing[];
}

/** A column's type as the lakehouse stores it, and which contract field decided it (column-type.ts). */
export interface ColumnListing {
  /** The lakehouse name, derived from the name as written (`nameRule`). */
  readonly name: string;
  /** The name data files carry: `physicalName`, else the name as written. */
  readonly nameInFile: string;
  readonly type: ColumnType;
  readonly typeFrom: TypeSource;
  readonly logicalType: LogicalType;
  readonly physicalType?: string;
  readonly physicalLength?: number;
}

export const contractsList: Command = {
  words: ['contracts', 'list'],
  usage: 'contracts list [dir] [--ml] [--json]',
  summary: 'list every dataset with its contract, version, owner and format, then every ML model (--ml: only the ML models)',
  async run(args, io) {
    const { root, json, ml } = parseContractsRootArgs(args, { withMl: true });

    const { catalog, problems: contractProblems } = checkCatalog(root);
    const checkedMl = catalog === undefined ? undefined : await checkMlModels(catalog, projectSettings);
    const problems = [...contractProblems, ...(checkedMl?.problems ?? [])];
    if (!catalog || checkedMl?.models === undefined || problems.length > 0) {
      for (const problem of problems) io.err(formatProblem(problem));
      io.err(`cannot list: the contracts have problems (run 'lakehouse contracts check ${root}')`);
      return ExitCode.usage;
    }
    const environments = checkedMl.models.length === 0 ? [] : projectSettings().environments;
    const mlListing = checkedMl.models.map((model) => mlModelListing(model, environments));
    if (ml) {
      if (json) printJson(io, mlListing);
      else io.out(renderTable(ML_MODEL_HEADERS, mlListing.map(mlModelRow)));
      return ExitCode.success;
    }
    const listing: ContractListing[] = catalog.domains.flatMap((domain) =>
      domain.datasets.map((dataset) => ({
        domain: domain.name,
        dataset: dataset.name,
        contractId: dataset.contract.id,
        version: dataset.contract.version,
        status: dataset.contract.status,
        owner: dataset.owner.team,
        ...(dataset.notEnforced.length === 0
          ? {}
          : { notEnforced: dataset.notEnforced.map(({ position, kind, reason }) => ({ where: formatPosition(position), kind, reason })) }),
        format: dataset.format,
        file: dataset.contract.file,
        table: dataset.names.table,
        nameRule: LAKEHOUSE_NAME_RULE,
        columns: dataset.columns.map((column) => ({
          name: column.name,
          nameInFile: column.nameInFile,
          type: column.type,
          typeFrom: column.typeFrom,
          logicalType: column.logicalType,
          ...(column.physicalType === undefined ? {} : { physicalType: column.physicalType }),
          ...(column.physicalLength === undefined ? {} : { physicalLength: column.physicalLength }),
        })),
      })),
    );
    // The datasets' JSON stays the array DESIGN.md documents; ML models have their own (--ml).
    if (json) {
      printJson(io, listing);
    } else {
      io.out(
        renderTable(
          ['DATASET', 'VERSION', 'STATUS', 'OWNER', 'FORMAT', 'CONTRACT'],
          listing.map((row) => [`${row.domain}/${row.dataset}`, row.version, row.status, row.owner, row.format, row.file]),
        ),
      );
      if (mlListing.length > 0) io.out(`\n${renderTable(ML_MODEL_HEADERS, mlListing.map(mlModelRow))}`);
    }
    return ExitCode.success;
  },
};
