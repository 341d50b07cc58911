import { nearMiss } from '../../contracts/did-you-mean.ts';
import { lakehouseNameOf } from '../../contracts/lakehouse-name.ts';
import type { Column, Dataset } from '../../contracts/model.ts';

/** A column as the file names it, with the line it first appears on where that means something. */
export interface FoundColumn {
  readonly name: string;
  readonly line?: number;
}

export interface ColumnRules {
  /** What messages call a file column: a CSV header or Parquet `column`, a JSON `key`. */
  readonly noun: 'column' | 'key';
  /** CSV values belong to columns by position, so a reordered header would silently swap values. */
  readonly ordered: boolean;
  /** JSON writers often leave out null values, so an optional column may be absent from every line. */
  readonly optionalMayBeAbsent: boolean;
}

export interface ColumnMismatch {
  readonly message: string;
  /** The earliest line a reported column was found on, when lines are known. */
  readonly line?: number;
}

/**
 * Compares the file's columns with the contract's names in the file (`Column.nameInFile`), all
 * problems at once, naming columns as the file does. A column the contract
 * lacks (named, unnamed or repeated) fails under `unknownColumns: fail` and is dropped under
 * `ignore`, except when it is a near miss of a missing contract column: a misspelling is
 * reported whatever the setting.
 */
export function findColumnMismatch(found: readonly FoundColumn[], dataset: Dataset, rules: ColumnRules): ColumnMismatch | undefined {
  const { noun } = rules;
  const expected = dataset.columns.map((column) => column.nameInFile);
  const problems: { readonly message: string; readonly line?: number }[] = [];
  const where = (column: FoundColumn): string => (noun === 'key' && column.line !== undefined ? ` (first on line ${column.line})` : '');

  const ignoringUnknown = dataset.unknownColumns === 'ignore';
  found.forEach((column, index) => {
    if (column.name === '' && !ignoringUnknown) problems.push({ message: `${noun} ${index + 1} has no name`, line: column.line });
  });
  const occurrences = new Map<string, number>();
  for (const { name } of found) occurrences.set(name, (occurrences.get(name) ?? 0) + 1);
  for (const [name, count] of occurrences) {
    // Two columns with a contract name make the value ambiguous; two ignored columns do no harm.
    if (name !== '' && count > 1 && (expected.includes(name) || !ignoringUnknown)) {
      problems.push({ message: `${noun} '${name}' appears ${count} times` });
    }
  }

  const foundNames = new Set(found.map((column) => column.name));
  const missing = dataset.columns.filter((column) => !foundNames.has(column.nameInFile));
  const misspelled = new Set<string>();
  const unknown = found.filter((column, index) => column.name !== '' && !expected.includes(column.name) && found.findIndex((other) => other.name === column.name) === index);
  for (const column of unknown) {
    const candidates = missing.filter((candidate) => !misspelled.has(candidate.nameInFile));
    // A file that names a column by its lakehouse name, not its physicalName or written name, meant that column.
    const meant =
      candidates.find((candidate) => candidate.name === lakehouseNameOf(column.name))?.nameInFile ??
      nearMiss(column.name, candidates.map((candidate) => candidate.nameInFile));
    if (meant !== undefined) {
      misspelled.add(meant);
      problems.push({ message: `${noun} '${column.name}'${where(column)} is not in the contract (did you mean '${meant}'${ofColumn(dataset, meant)}?)`, line: column.line });
    } else if (!ignoringUnknown) {
      problems.push({ message: `${noun} '${column.name}'${where(column)} is not in the contract`, line: column.line });
    }
  }
  for (const column of missing) {
    if (misspelled.has(column.nameInFile) || (rules.optionalMayBeAbsent && !mustBePresent(column))) continue;
    problems.push({ message: `missing ${noun} '${column.nameInFile}'` });
  }

  if (problems.length === 0 && rules.ordered) {
    const order = found.map((column) => column.name).filter((name) => expected.includes(name));
    if (order.join('\n') !== expected.join('\n')) {
      problems.push({ message: `${noun}s are not in the contract's order: expected ${expected.join(', ')}; found ${order.join(', ')}` });
    }
  }
  if (problems.length === 0) return undefined;
  const lines = problems.flatMap((problem) => (problem.line === undefined ? [] : [problem.line]));
  const message = problems.map((problem) => problem.message).join('; ');
  return lines.length === 0 ? { message } : { message, line: Math.min(...lines) };
}

/** `, the name in the file of column 'x'` when the file's name is not the lakehouse name, so both can be found. */
function ofColumn(dataset: Dataset, nameInFile: string): string {
  const column = dataset.columns.find((candidate) => candidate.nameInFile === nameInFile);
  return column === undefined || column.name === nameInFile ? '' : `, the name in the file of column '${column.name}'`;
}

function mustBePresent(column: Column): boolean {
  return column.required || column.primaryKeyPosition !== undefined;
}
