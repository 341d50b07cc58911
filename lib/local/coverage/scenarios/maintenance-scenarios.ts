/**
 * The scenarios of one domain's maintenance: rows past their retention deleted and every table
 * compacted and expired; a table whose compaction fails (alerted, the others still maintained);
 * and the run itself breaking when even that alert cannot be sent.
 */
import { maintenanceStateMachineName } from '../../../config/names.ts';
import type { Domain } from '../../../contracts/model.ts';
import { MAINTENANCE_STATES as M } from '../../../pipeline/maintenance-steps.ts';
import { TaskError } from '../../stepfunctions/task-error.ts';
import { type Deliveries, lines } from './deliveries.ts';
import { failedQuery } from './failed-query.ts';
import { runProblems, valueProblems } from './run-expectations.ts';
import type { Scenario } from './scenario.ts';
import type { LocalPipelineRuntime } from '../../runtime/pipeline-runtime.ts';
import { composeFaults, type TaskWrapper } from './task-faults.ts';

export interface MaintenanceScenarioContext {
  readonly runtime: LocalPipelineRuntime;
  readonly deliveries: Deliveries;
}

/** A record's key made one no other delivery has (`ORD-10000103` becomes `ORD-99999999`). */
const unseenKey = (record: string): string => record.replace(/^([A-Z]+-)(\d+)/, (_match, prefix: string, digits: string) => prefix + '9'.repeat(digits.length));

function failing(state: string, when: (input: unknown) => boolean, error: () => Error): TaskWrapper {
  return (name, handler) => (name !== state ? handler : async (input) => (when(input) ? Promise.reject(error()) : handler(input)));
}

export function maintenanceScenarios({ runtime, deliveries }: MaintenanceScenarioContext, domain: Domain): Scenario[] {
  const machine = maintenanceStateMachineName(runtime.environment.identity, domain.name);
  const scenario = (what: string, execute: Scenario['execute']): Scenario => ({ name: `${domain.name} maintenance: ${what}`, machine, execute });
  return [
    scenario('deletes rows past their retention, compacts and expires snapshots of every table', async (faults) => {
      const kept = domain.datasets.filter((dataset) => dataset.retentionDays !== undefined);
      // One record of each such table delivered long ago, under a key no other delivery has (an older
      // delivery never replaces a newer row): merged in, it is the only row past retention.
      const problems: string[] = kept.length === 0 ? ['no dataset of the domain declares a retention'] : [];
      for (const dataset of kept) {
        const ancient = deliveries.file(dataset, 'ancient', (sample) => `${lines(sample).slice(0, 2).map(unseenKey).join('\n')}\n`);
        const delivered = await runtime.run(dataset.names.ref, ancient, { ingestTime: new Date('2010-01-04T06:00:00Z') });
        problems.push(...valueProblems(`delivering ${dataset.names.ref} in 2010: status`, delivered.status, 'SUCCEEDED'));
      }
      const before = kept.map((dataset) => runtime.tableRowCount(dataset));
      const run = await runtime.maintain(domain.name, { wrapTask: faults });
      problems.push(
        ...runProblems(run, { status: 'SUCCEEDED', includes: [M.applyRetention, M.optimize, M.vacuum, M.tableMaintained, M.maintenanceDone] }),
        ...valueProblems(
          'rows per table with a retention',
          kept.map((dataset) => runtime.tableRowCount(dataset)),
          before.map((count) => count - 1),
        ),
      );
      return { run, problems };
    }),
    scenario('alerts about a table whose compaction fails, maintains the others, then fails', async (faults) => {
      const broken = domain.datasets[0]!;
      const compactsBroken = (input: unknown): boolean => (input as { QueryString: string }).QueryString.endsWith(`.${broken.names.table} REWRITE DATA USING BIN_PACK`);
      const run = await runtime.maintain(domain.name, {
        wrapTask: composeFaults(faults, failing(M.optimize, compactsBroken, () => failedQuery('ICEBERG_OPTIMIZE_ERROR: the table is corrupt'))),
      });
      return { run, problems: runProblems(run, { status: 'FAILED', includes: [M.alertTableFailed, M.tableFailed, M.tableMaintained, M.anyTableFailed, M.maintenanceFailed] }) };
    }),
    scenario('alerts that the run broke when even the table alert cannot be sent', async (faults) => {
      const always = (): boolean => true;
      const run = await runtime.maintain(domain.name, {
        wrapTask: composeFaults(
          faults,
          failing(M.alertTableFailed, always, () => new TaskError('SNS.InternalErrorException', 'unavailable')),
          failing(M.optimize, always, () => failedQuery('ICEBERG_OPTIMIZE_ERROR')),
        ),
      });
      // The tables are maintained side by side (a Map), so other iterations' states may come last.
      return { run, problems: runProblems(run, { status: 'FAILED', includes: [M.alertMaintenanceFailed, M.maintenanceFailed] }) };
    }),
  ];
}
