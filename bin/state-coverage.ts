/**
 * `npm run coverage:states` (issue 10 item 3): runs every coverage scenario of the dev stage's state
 * machines offline, in a fresh temporary workspace, then prints per machine the states entered and
 * transitions taken out of those its definition has, writes the same to `.lake/state-coverage.json`
 * (`{machines: [{name, states: {total, visited, missing}, transitions: {total, taken, missing}}]}`),
 * and lists what is missing and every scenario whose run went elsewhere than it says.
 * Exit codes: 0 every machine at 100% of states and of transitions, every scenario as it says;
 * 1 otherwise; 2 usage error (it takes no arguments).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coverageShortfalls } from '../lib/cli/state-coverage-shortfalls.ts';
import { runStateCoverage } from '../lib/cli/state-coverage-run.ts';
import { renderStateCoverageTable } from '../lib/cli/state-coverage-table.ts';
import { DEFAULT_WORKSPACE } from '../lib/local/workspace.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string): void => void process.stderr.write(`${line}\n`);

if (process.argv.length > 2) {
  say(`coverage:states takes no arguments (got: ${process.argv.slice(2).join(' ')})\nusage: npm run coverage:states`);
  process.exit(2);
}

const { report, problems } = await runStateCoverage(projectRoot, (scenario) => say(`▶ ${scenario}`));
const reportFile = join(projectRoot, DEFAULT_WORKSPACE, 'state-coverage.json');
mkdirSync(join(projectRoot, DEFAULT_WORKSPACE), { recursive: true });
writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);

process.stdout.write(`${renderStateCoverageTable(report)}\n`);
const shortfalls = coverageShortfalls(report);
for (const line of [...shortfalls, ...problems]) say(line);
say(`written to ${reportFile}`);
process.exitCode = shortfalls.length > 0 || problems.length > 0 ? 1 : 0;
