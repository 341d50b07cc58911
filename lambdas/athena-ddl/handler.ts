import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceCreateEvent, CloudFormationCustomResourceEvent, CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { addColumnsStatement, NonAdditiveSchemaChangeError, planSchemaChange, type SchemaChange } from '../../lib/pipeline/iceberg-schema-change.ts';
import { type AthenaSend, AthenaStatementError, runAthenaStatement } from './athena-statement.ts';
import { failureForCloudFormation } from './failure-reason.ts';
import { currentIcebergColumns, type GlueSend } from './glue-table.ts';
import { type CloudFormationSend, isRollbackInProgress, stackStatus } from './stack-status.ts';
import { type IcebergTableSpec, parseIcebergTableSpec, physicalIdOf } from './table-spec.ts';

export interface AthenaDdlHandlerDependencies {
  /** Runs the DDL in the table's workgroup. */
  readonly athena: AthenaSend;
  /** Reads the table's current columns from the catalog. */
  readonly glue: GlueSend;
  /** Reads the status of the resource's stack, to tell a rollback's Update from a deployment's. */
  readonly cloudFormation: CloudFormationSend;
  /** @default setTimeout */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** How long one statement may take; DDL takes seconds. @default 240_000 (the function's timeout is 5 minutes) */
  readonly maxWaitMs?: number;
  /** @default a Powertools logger writing JSON lines to stdout */
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What the Provider framework's onEvent handler returns. */
export interface ProviderResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export type AthenaDdlHandler = (event: CloudFormationCustomResourceEvent) => Promise<ProviderResponse>;

/** What the handler did, reported to CloudFormation (and so visible in the stack's outputs, if asked). */
type Outcome = 'created' | 'columns-added' | 'unchanged' | 'kept-during-rollback';

/** Same request and statement, same token: a retried invocation reattaches to its query. */
function requestToken(requestId: string, statement: string): string {
  return createHash('sha256').update(`${requestId}\n${statement}`).digest('hex');
}

/**
 * The onEvent handler of the Athena DDL provider: creates an Iceberg table when it does not exist,
 * adds the contract's new columns when it does, and refuses any other schema change, except while
 * its stack rolls back. Delete does nothing: tables are retained (DESIGN.md), and a changed
 * physical id is a new table, not a rename. A failure reaches CloudFormation as one short line;
 * its details (the statement, every problem) are in the function's log.
 */
export function createAthenaDdlHandler(dependencies: AthenaDdlHandlerDependencies): AthenaDdlHandler {
  const { athena, glue, cloudFormation } = dependencies;
  const logger = dependencies.logger ?? new Logger({ serviceName: 'lakehouse-athena-ddl' });
  const poll = {
    sleep: dependencies.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds))),
    pollIntervalMs: dependencies.pollIntervalMs ?? 1000,
    maxWaitMs: dependencies.maxWaitMs ?? 240_000,
  };

  const run = (spec: IcebergTableSpec, requestId: string, statement: string): Promise<string> =>
    runAthenaStatement(athena, statement, { workGroup: spec.workGroup, clientRequestToken: requestToken(requestId, statement) }, poll);

  /**
   * A rollback's Update asks to go back to the old columns, and the table cannot lose the ones
   * just added: failing would leave the stack in UPDATE_ROLLBACK_FAILED. Iceberg keeps the
   * columns (readers see nulls in them), and the next deployment of the contract checks again.
   */
  const keptDuringRollback = async (event: ChangeEvent, refusal: NonAdditiveSchemaChangeError): Promise<boolean> => {
    if (event.RequestType !== 'Update') return false;
    const status = await stackStatus(cloudFormation, event.StackId);
    if (!isRollbackInProgress(status)) return false;
    logger.warn('keeping the Iceberg table as it is: its stack is rolling back; Iceberg keeps the added columns and a later deployment reconciles', {
      table: refusal.table,
      stackStatus: status,
      problems: refusal.problems,
    });
    return true;
  };

  const apply = async (spec: IcebergTableSpec, event: ChangeEvent): Promise<Outcome> => {
    const name = physicalIdOf(spec);
    const requestId = event.RequestId;
    const current = await currentIcebergColumns(glue, spec.database, spec.table);
    if (current === undefined) {
      logger.info('creating Iceberg table', { table: name });
      await run(spec, requestId, spec.createStatement);
      return 'created';
    }
    let change: SchemaChange;
    try {
      change = planSchemaChange(name, current, spec.columns);
    } catch (error) {
      if (error instanceof NonAdditiveSchemaChangeError && (await keptDuringRollback(event, error))) return 'kept-during-rollback';
      throw error;
    }
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
    try {
      const spec = parseIcebergTableSpec(event.ResourceProperties);
      const outcome = await apply(spec, event);
      return { PhysicalResourceId: physicalIdOf(spec), Data: { Table: physicalIdOf(spec), Outcome: outcome } };
    } catch (error) {
      logger.error('the Iceberg table could not follow its contract', {
        error,
        ...(error instanceof AthenaStatementError ? { statement: error.statement } : {}),
        ...(error instanceof NonAdditiveSchemaChangeError ? { problems: error.problems } : {}),
      });
      throw failureForCloudFormation(error);
    }
  };
}

type ChangeEvent = CloudFormationCustomResourceCreateEvent | CloudFormationCustomResourceUpdateEvent;
