/** The state coverage report as a table for the terminal: one machine per row. */
import type { StateCoverageReport } from '../local/coverage/state-coverage.ts';
import { renderTable } from './table.ts';

/** Rounded down to a tenth, so a machine short of full coverage never reads 100.0%; nothing to cover reads 100.0%. */
function percent(part: number, total: number): string {
  return `${total === 0 ? '100.0' : (Math.floor((part / total) * 1000) / 10).toFixed(1)}%`;
}

export function renderStateCoverageTable(report: StateCoverageReport): string {
  return renderTable(
    ['machine', 'states', '%', 'transitions', '%'],
    report.machines.map(({ name, states, transitions }) => [
      name,
      `${states.visited}/${states.total}`,
      percent(states.visited, states.total),
      `${transitions.taken}/${transitions.total}`,
      percent(transitions.taken, transitions.total),
    ]),
  );
}
