import { parseArgs } from 'node:util';
import { didYouMean } from '../../contracts/did-you-mean.ts';
import type { TableFigures } from '../../local/runtime/table-figures.ts';
import type { MaintenanceRun } from '../../local/runtime/pipeline-runtime.ts';
import type { Command } from '../command.ts';
import { domainRunDocument } from '../machine-run-document.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { LABEL_WIDTH, RUNTIME_OPTIONS, withRuntime } from './run.ts';

/** A domain's run as `--json` prints it (README, "lakehouse maintain"). */
export function maintenanceDocument(run: MaintenanceRun): Record<string, unknown> {
  return { ...domainRunDocument(run), tables: run.tables };
}

/** `before → after`, or the one figure when the run left it as it was. */
function change(before: number, after: number): string {
  return before === after ? String(before) : `${before} → ${after}`;
}

const FIGURE_HEADINGS = ['TABLE', 'ROWS', 'DATA FILES', 'SNAPSHOTS', 'UNREFERENCED FILES'];
const FIGURES: readonly (keyof TableFigures)[] = ['rows', 'dataFiles', 'snapshots', 'unreferencedFiles'];

/** The summary people read after a domain's progress lines: the execution, then each table before → after. */
export function renderMaintenance(run: MaintenanceRun): string {
  const verdict = run.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${run.status}: ${run.error ?? 'the maintenance failed'}${run.cause === undefined ? '' : ` (${run.cause})`}`;
  // The machine's Fail state repeats the verdict; the states worth naming are those whose Task failed.
  const failedStates = run.states.filter((visit) => visit.type !== 'Fail' && (visit.outcome === 'failed' || visit.outcome === 'caught'));
  const rows: [string, string][] = [
    ['state machine', run.stateMachine],
    ['execution', run.executionArn],
    ['states', `${run.states.length} entered`],
    ...failedStates.map((visit): [string, string] => [
      'failed state',
      `${visit.iteration === undefined ? '' : `[${visit.iteration}] `}${visit.state}: ${visit.error ?? 'failed'}`,
    ]),
  ];
  const inLake = run.tables.filter((table) => table.before !== null && table.after !== null);
  const absent = run.tables.filter((table) => table.before === null || table.after === null);
  const table = renderTable(
    FIGURE_HEADINGS,
    inLake.map(({ table: name, before, after }) => [name, ...FIGURES.map((figure) => change(before![figure], after![figure]))]),
  );
  return [
    `${run.domain}: ${verdict}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(LABEL_WIDTH)}${value}`),
    '',
    table,
    // A gold model not built yet, or a staging table, which lives only during a build: nothing to maintain.
    ...(absent.length === 0 ? [] : [`not in the lake: ${absent.map((entry) => entry.table).join(', ')}`]),
  ].join('\n');
}

/** Exit 0 when every domain's execution succeeded, 1 when one failed, 2 on a usage error (nothing ran). */
export const maintain: Command = {
  words: ['maintain'],
  usage: 'maintain [<domain>] [--env <name>] [--json] [--lake <dir>]',
  summary: "run a domain's maintenance state machine offline (every domain without one): retention, compaction, snapshot expiry",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1) throw new UsageError(`expected at most one domain, got ${positionals.length}`);
    const requested = positionals[0];

    return withRuntime(values, io, async (runtime) => {
      const known = runtime.environment.catalog.domains.map((domain) => domain.name);
      if (requested !== undefined && !known.includes(requested)) {
        throw new UsageError(`no domain '${requested}' in the contracts${didYouMean(requested, known)} (domains: ${known.join(', ')})`);
      }
      const runs: MaintenanceRun[] = [];
      // One after another, in the catalog's order: the progress lines of two executions would interleave, and each compaction already takes the memory DuckDB may use.
      for (const domain of requested === undefined ? known : [requested]) {
        const result = await runtime.maintain(domain);
        if (!values.json) io.out(renderMaintenance(result));
        runs.push(result);
      }
      const passed = runs.every((result) => result.status === 'SUCCEEDED');
      if (values.json) printJson(io, { env: values.env, passed, domains: runs.map(maintenanceDocument) });
      return passed ? ExitCode.success : ExitCode.checksFailed;
    });
  },
};
