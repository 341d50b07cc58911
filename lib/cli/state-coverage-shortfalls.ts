/** What keeps a state coverage report from 100%: one line per state never entered and transition never taken. */
import type { StateCoverageReport } from '../local/coverage/state-coverage.ts';

export function coverageShortfalls(report: StateCoverageReport): string[] {
  return report.machines.flatMap(({ name, states, transitions }) => [
    ...states.missing.map((state) => `${name}: state never entered: ${state}`),
    ...transitions.missing.map((transition) => `${name}: transition never taken: ${transition}`),
  ]);
}
