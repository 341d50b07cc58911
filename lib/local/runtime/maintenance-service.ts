/**
 * A domain's maintenance offline: its synthesized maintenance state machine run on the engine,
 * each Athena Task (retention `DELETE`, `OPTIMIZE`, `VACUUM`) answered by the local lake's
 * copy-on-write delete, compaction, snapshot expiry and removal of orphan data files, on every
 * silver and gold table the domain owns (its models', its ML models' predictions and ml_runs).
 */
import { maintenanceStateMachineName } from '../../config/names.ts';
import type { Domain } from '../../contracts/model.ts';
import { mlSpecFiles } from '../../ml/load.ts';
import { domainMaintainedTables } from '../../pipeline/maintenance-steps.ts';
import { compileTransforms } from '../../transforms/compile.ts';
import { ownedTableNames } from '../../transforms/gold-table.ts';
import type { ExecutionStatus } from '../stepfunctions/run.ts';
import type { ExecutionEngine, ExecutionOptions } from './execution-engine.ts';
import type { StateVisit } from './execution-trace.ts';
import type { LocalIntegrations } from './integrations.ts';
import type { LocalServices } from './local-services.ts';
import { maintenanceQuery } from './maintenance-query.ts';
import { ensureSilverTable } from './silver-table-owner.ts';
import { stateMachineNamed } from './synthesized-environment.ts';
import { tableFigures, type TableFigures } from './table-figures.ts';

/** One table the run maintained, as the local lake shows it before and after (null: not in the lake). */
export interface MaintainedTableFigures {
  /** `<database>.<table>`, as the machine's alerts name it. */
  readonly table: string;
  readonly before: TableFigures | null;
  readonly after: TableFigures | null;
}

export interface MaintenanceRun {
  readonly status: ExecutionStatus;
  readonly error?: string;
  readonly cause?: string;
  readonly domain: string;
  readonly stateMachine: string;
  readonly executionArn: string;
  readonly states: readonly StateVisit[];
  readonly visitedStates: readonly string[];
  readonly tables: readonly MaintainedTableFigures[];
}

export class MaintenanceService {
  constructor(
    private readonly engine: ExecutionEngine,
    private readonly services: LocalServices,
  ) {}

  /** Runs a domain's synthesized maintenance state machine: retention deletes, compaction and snapshot expiry on the local lake. */
  async maintain(domainName: string, options: ExecutionOptions = {}): Promise<MaintenanceRun> {
    const { environment, lake, connection, athena } = this.services;
    const { identity, catalog } = environment;
    const domain: Domain | undefined = catalog.domains.find((candidate) => candidate.name === domainName);
    if (domain === undefined) {
      throw new Error(`no domain '${domainName}' in the contracts (domains: ${catalog.domains.map((candidate) => candidate.name).join(', ')})`);
    }
    // The silver tables' owner stands in first, as in the cloud, where the tables exist before any schedule fires.
    for (const dataset of domain.datasets) ensureSilverTable(lake, this.services.database(dataset), dataset);
    // Compiled over every domain, as the app does: this domain's models may read the others'.
    const modelTables = compileTransforms(environment.modelCatalog)
      .models.filter((model) => model.domain === domain.name)
      .flatMap(ownedTableNames);
    // An ML model is named by its spec's file; the app has checked the specs when it synthesized.
    const mlModels = mlSpecFiles(environment.modelCatalog)
      .filter((spec) => spec.domain === domain.name)
      .map((spec) => spec.name);
    const tables = domainMaintainedTables(identity, domain, { modelTables, mlModels });
    const context = { tables, lake, connection, now: () => new Date() };
    const integrations: LocalIntegrations = {
      'athena:startQueryExecution.sync': (state) => (request) => athena.startQueryExecutionSync(request, maintenanceQuery(context, state.name)),
    };
    const machine = await stateMachineNamed(environment, maintenanceStateMachineName(identity, domain.name));
    const figures = (): (TableFigures | null)[] => tables.map(({ database, table }) => tableFigures(lake, database, table) ?? null);
    const before = figures();
    const { result, executionArn, trace } = await this.engine.execute({ machine, input: {}, integrations }, options);
    const after = figures();
    return {
      status: result.status,
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(result.cause === undefined ? {} : { cause: result.cause }),
      domain: domain.name,
      stateMachine: machine.name,
      executionArn,
      states: trace.visits,
      visitedStates: result.visitedStates,
      tables: tables.map(({ database, table }, index) => ({ table: `${database}.${table}`, before: before[index]!, after: after[index]! })),
    };
  }
}
