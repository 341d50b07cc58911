import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import { tableName } from './table-name.ts';

/**
 * A dataset name identifies one dataset in its domain, across all the domain's contract files,
 * and so must the table name derived from it. The later definition (in file order) is the
 * problem; the message names the first.
 */
export function checkDatasetNames(contracts: readonly ContractUnderCheck[]): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const names = new Map<string, string>();
  const tables = new Map<string, { dataset: string; at: string }>();
  for (const { contract, source } of contracts) {
    contract.schema.forEach((dataset, index) => {
      const path = ['schema', index, 'name'];
      const { file, line, column } = source.positionOf(path);
      const here = `${file}:${line}:${column}`;
      const earlier = names.get(dataset.name);
      if (earlier !== undefined) {
        problems.push(source.problem(path, atField(path, `dataset '${dataset.name}' is already defined at ${earlier}`)));
        return;
      }
      names.set(dataset.name, here);
      const table = tableName(dataset.name, contract.version);
      const sameTable = tables.get(table);
      if (sameTable !== undefined) {
        problems.push(
          source.problem(path, atField(path, `table name '${table}' is already derived for dataset '${sameTable.dataset}' at ${sameTable.at}`)),
        );
        return;
      }
      tables.set(table, { dataset: dataset.name, at: here });
    });
  }
  return problems;
}
