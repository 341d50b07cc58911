import type { SourcePosition } from './model.ts';

/** One thing wrong with a contract or domain file, at the place a user must edit. */
export interface ContractProblem extends SourcePosition {
  readonly message: string;
}

/** `file:line:column: message`, the form editors and CI annotations understand. */
export function formatProblem(problem: ContractProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
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
