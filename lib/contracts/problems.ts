import type { SourcePosition } from './model.ts';

/** One thing wrong with a contract or domain file, at the place a user must edit. */
export interface ContractProblem extends SourcePosition {
  readonly message: string;
  /**
   * Absent for an error, which stops the load. A warning is reported (`contracts check` prints it
   * and still exits 0) but the catalog is built despite it: something the lakehouse accepts yet
   * does not do as written, which a user must not learn about only in production.
   */
  readonly severity?: 'error' | 'warning';
}

/** The same place and message, reported as a warning instead of an error. */
export function asWarning(problem: ContractProblem): ContractProblem {
  return { ...problem, severity: 'warning' };
}

/** Errors and warnings apart, each in the order given. */
export function splitBySeverity(all: readonly ContractProblem[]): { readonly errors: ContractProblem[]; readonly warnings: ContractProblem[] } {
  return {
    errors: all.filter((problem) => problem.severity !== 'warning'),
    warnings: all.filter((problem) => problem.severity === 'warning'),
  };
}

/** `file:line:column`. */
export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/** `file:line:column: message` (`file:line:column: warning: message`), the form editors and CI annotations understand. */
export function formatProblem(problem: ContractProblem): string {
  const severity = problem.severity === 'warning' ? 'warning: ' : '';
  return `${formatPosition(problem)}: ${severity}${problem.message}`;
}

/** Thrown after every problem in every file has been collected: never on the first one. */
export class ContractError extends Error {
  readonly problems: readonly ContractProblem[];

  constructor(problems: readonly ContractProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in contracts:\n` +
        problems.map(formatProblem).join('\n'),
    );
    this.name = 'ContractError';
    this.problems = problems;
  }
}
