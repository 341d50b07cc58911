/**
 * How an existing Iceberg table follows its contract on deployment (DESIGN.md "Iceberg tables"):
 * new columns are added with `ALTER TABLE ADD COLUMNS`; anything else (a type change, a removed
 * column) would silently break readers or lose data, so it fails the deployment and says what to do.
 * Pure: the Athena DDL custom resource reads the table from Glue and runs what this decides.
 */
import { ddlIdentifier } from '../sql/ddl-identifier.ts';

/** A column as Glue stores it for an Iceberg table: its name and Athena DDL type. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
}

/** What a deployment does to an Iceberg table that already exists. */
export type SchemaChange =
  | { readonly kind: 'unchanged' }
  /** Columns to append, in contract order. */
  | { readonly kind: 'add-columns'; readonly columns: readonly TableColumn[] };

/** How many problems the message names; `problems` holds them all. */
const PROBLEMS_IN_MESSAGE = 5;

/** A contract change the table cannot follow by adding columns; `problems` names each one. */
export class NonAdditiveSchemaChangeError extends Error {
  constructor(
    readonly table: string,
    readonly problems: readonly string[],
  ) {
    // A message naming hundreds of columns would not fit CloudFormation's failure reason (4 KB).
    const named = problems.slice(0, PROBLEMS_IN_MESSAGE).join('; ');
    const more = problems.length > PROBLEMS_IN_MESSAGE ? ` and ${problems.length - PROBLEMS_IN_MESSAGE} more` : '';
    super(
      `Iceberg table ${table} cannot follow its contract: ${named}${more}. ` +
        'A deployment only adds columns to an existing table. To change or remove a column, ' +
        'publish a new major version of the contract (a new table, e.g. <name>_v2) and migrate to it.',
    );
    this.name = 'NonAdditiveSchemaChangeError';
  }
}

/** Glue keeps names in lowercase whatever the DDL said. */
function nameKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Type text as Glue reports it: lowercase and without spaces (`decimal(10, 2)` is
 * `decimal(10,2)`), with Athena's `integer` spelled `int` as Glue stores it.
 */
export function normalizeType(type: string): string {
  const compact = type.toLowerCase().replaceAll(/\s+/g, '');
  return compact === 'integer' ? 'int' : compact;
}

/**
 * Compares the table's current columns with the contract's. Column order does not matter
 * (Iceberg matches columns by id, Athena by name); new columns are appended in contract order.
 * Throws `NonAdditiveSchemaChangeError` listing every change that is not an addition.
 */
export function planSchemaChange(table: string, current: readonly TableColumn[], desired: readonly TableColumn[]): SchemaChange {
  const desiredByName = new Map(desired.map((column) => [nameKey(column.name), column]));
  const currentByName = new Map(current.map((column) => [nameKey(column.name), column]));
  const problems: string[] = [];
  for (const column of current) {
    const wanted = desiredByName.get(nameKey(column.name));
    if (wanted === undefined) {
      problems.push(`column '${column.name}' (${column.type}) is in the table but no longer in the contract`);
    } else if (normalizeType(wanted.type) !== normalizeType(column.type)) {
      problems.push(`column '${column.name}' is ${column.type} in the table but ${wanted.type} in the contract`);
    }
  }
  if (problems.length > 0) throw new NonAdditiveSchemaChangeError(table, problems);
  const added = desired.filter((column) => !currentByName.has(nameKey(column.name)));
  return added.length === 0 ? { kind: 'unchanged' } : { kind: 'add-columns', columns: added };
}


/** `ALTER TABLE` appending the columns, run by Athena on the Iceberg table. */
export function addColumnsStatement(database: string, table: string, columns: readonly TableColumn[]): string {
  if (columns.length === 0) throw new Error(`no columns to add to ${database}.${table}`);
  const definitions = columns.map((column) => `${ddlIdentifier(column.name)} ${column.type}`).join(', ');
  return `ALTER TABLE ${ddlIdentifier(database)}.${ddlIdentifier(table)} ADD COLUMNS (${definitions})`;
}
