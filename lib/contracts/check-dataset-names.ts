import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField } from './field-path.ts';
import { LAKEHOUSE_NAME_RULE, lakehouseNameOf } from './lakehouse-name.ts';
import type { ContractProblem } from './problems.ts';
import { tableName } from './table-name.ts';

/**
 * A dataset's lakehouse name (derived from the name as written) identifies one dataset in its
 * domain, across all the domain's contract files, and so must the table name derived from it.
 * The later definition (in file order) is the problem; the message names the first.
 */
export function checkDatasetNames(contracts: readonly ContractUnderCheck[]): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const names = new Map<string, { written: string; at: string }>();
  const tables = new Map<string, { dataset: string; at: string }>();
  for (const { contract, source } of contracts) {
    contract.schema.forEach((dataset, index) => {
      const path = ['schema', index, 'name'];
      const report = (message: string) => problems.push(source.problem(path, atField(path, message)));
      const { file, line, column } = source.positionOf(path);
      const here = `${file}:${line}:${column}`;
      const derived = lakehouseNameOf(dataset.name);
      if (derived === undefined) {
        report(`dataset name '${dataset.name}' has no letter or digit to derive a table name from (${LAKEHOUSE_NAME_RULE})`);
        return;
      }
      const earlier = names.get(derived);
      if (earlier !== undefined) {
        report(
          earlier.written === dataset.name
            ? `dataset '${dataset.name}' is already defined at ${earlier.at}`
            : `dataset '${dataset.name}' derives the lakehouse name '${derived}', as dataset '${earlier.written}' at ${earlier.at} does`,
        );
        return;
      }
      names.set(derived, { written: dataset.name, at: here });
      const table = tableName(dataset.name, contract.version);
      const sameTable = tables.get(table);
      if (sameTable !== undefined) {
        report(`table name '${table}' is already derived for dataset '${sameTable.dataset}' at ${sameTable.at}`);
        return;
      }
      tables.set(table, { dataset: dataset.name, at: here });
    });
  }
  return problems;
}
