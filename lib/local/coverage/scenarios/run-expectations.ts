/** Where an execution should have gone, checked into sentences a failing coverage run prints. */
import type { ExecutionStatus } from '../../stepfunctions/run.ts';
import type { ScenarioRun } from './scenario.ts';

export interface ExpectedRun {
  readonly status?: ExecutionStatus;
  readonly error?: string;
  /** Exactly these states, in this order. */
  readonly states?: readonly string[];
  /** The last states entered. */
  readonly endsWith?: readonly string[];
  /** Entered at least once each, in any order. */
  readonly includes?: readonly string[];
  /** Entered one right after the other, somewhere in the run. */
  readonly consecutive?: readonly string[];
}

const list = (states: readonly string[]): string => states.join(' > ');

function enteredInARow(visited: readonly string[], run: readonly string[]): boolean {
  return visited.some((_state, start) => run.every((state, offset) => visited[start + offset] === state));
}

export function runProblems(run: ScenarioRun, expected: ExpectedRun): string[] {
  const problems: string[] = [];
  const visited = run.visitedStates;
  if (expected.status !== undefined && run.status !== expected.status) problems.push(`status ${run.status}, expected ${expected.status} (error ${run.error ?? 'none'})`);
  if (expected.error !== undefined && run.error !== expected.error) problems.push(`error ${run.error ?? 'none'}, expected ${expected.error}`);
  if (expected.states !== undefined && list(visited) !== list(expected.states)) problems.push(`entered ${list(visited)}, expected ${list(expected.states)}`);
  if (expected.endsWith !== undefined && list(visited.slice(-expected.endsWith.length)) !== list(expected.endsWith)) {
    problems.push(`ended with ${list(visited.slice(-expected.endsWith.length))}, expected ${list(expected.endsWith)}`);
  }
  const missing = (expected.includes ?? []).filter((state) => !visited.includes(state));
  if (missing.length > 0) problems.push(`never entered ${missing.join(', ')}`);
  if (expected.consecutive !== undefined && !enteredInARow(visited, expected.consecutive)) {
    problems.push(`never entered ${list(expected.consecutive)} in a row (entered ${list(visited)})`);
  }
  return problems;
}

/** A figure the run left behind, compared with what the scenario expects of it. */
export function valueProblems(what: string, actual: unknown, expected: unknown): string[] {
  return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [`${what} ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
}
