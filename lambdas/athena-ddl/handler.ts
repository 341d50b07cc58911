import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { addColumnsStatement, planSchemaChange } from '../../lib/pipeline/iceberg-schema-change.ts';
import { type AthenaSend, runAthenaStatement } from './athena-statement.ts';
import { currentIcebergColumns, type GlueSend } from './glue-table.ts';
import { type IcebergTableSpec, parseIcebergTableSpec, physicalIdOf } from './table-spec.ts';

export interface AthenaDdlHandlerDependencies {
  /** Runs the DDL in the table's workgroup. */
  readonly athena: AthenaSend;
  /** Reads the table's current columns from the catalog. */
  readonly glue: GlueSend;
  /** @default setTimeout */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** How long one statement may take; DDL takes seconds. @default 240_000 (the function's timeout is 5 minutes) */
  readonly maxWaitMs?: number;
  /** @default a Powertools logger writing JSON lines to stdout */
  readonly logger?: Logger;
}

/** What the Provider framework's onEvent handler returns. */
export interface ProviderResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export type AthenaDdlHandler = (event: CloudFormationCustomResourceEvent) => Promise<ProviderResponse>;

/** What the handler did, reported to CloudFormation (and so visible in the stack's outputs, if asked). */
type Outcome = 'created' | 'columns-added' | 'unchanged';

/** Same request and statement, same token: a retried invocation reattaches to its query. */
function requestToken(requestId: string, statement: string): string {
  return createHash('sha256').update(`${requestId}\n${statement}`).digest('hex');
}

/**
 * The onEvent handler of the Athena DDL provider: creates an Iceberg table when it does not exist,
 * adds the contract's new columns when it does, and refuses any other schema change. Delete does
 * nothing: tables are retained (DESIGN.md), and a changed physical id is a new table, not a rename.
 */
export function createAthenaDdlHandler(dependencies: AthenaDdlHandlerDependencies): AthenaDdlHandler {
  const { athena, glue } = dependencies;
  const logger = dependencies.logger ?? new Logger({ serviceName: 'lakehouse-athena-ddl' });
  const poll = {
    sleep: dependencies.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds))),
    pollIntervalMs: dependencies.pollIntervalMs ?? 1000,
    maxWaitMs: dependencies.maxWaitMs ?? 240_000,
  };

  const run = (spec: IcebergTableSpec, requestId: string, statement: string): Promise<string> =>
    runAthenaStatement(athena, statement, { workGroup: spec.workGroup, clientRequestToken: requestToken(requestId, statement) }, poll);

  const apply = async (spec: IcebergTableSpec, requestId: string): Promise<Outcome> => {
    const name = physicalIdOf(spec);
    const current = await currentIcebergColumns(glue, spec.database, spec.table);
    if (current === undefined) {
      logger.info('creating Iceberg table', { table: name });
      await run(spec, requestId, spec.createStatement);
      return 'created';
    }
    const change = planSchemaChange(name, current, spec.columns);
    if (change.kind === 'unchanged') {
      logger.info('Iceberg table already matches its contract', { table: name });
      return 'unchanged';
    }
    logger.info('adding columns to Iceberg table', { table: name, columns: change.columns.map((column) => column.name) });
    await run(spec, requestId, addColumnsStatement(spec.database, spec.table, change.columns));
    return 'columns-added';
  };

  return async (event) => {
    if (event.RequestType === 'Delete') {
      logger.info('keeping Iceberg table: tables are retained', { table: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const spec = parseIcebergTableSpec(event.ResourceProperties);
    const outcome = await apply(spec, event.RequestId);
    return { PhysicalResourceId: physicalIdOf(spec), Data: { Table: physicalIdOf(spec), Outcome: outcome } };
  };
}
