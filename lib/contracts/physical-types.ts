/**
 * Column types of source systems, as ODCS `physicalType` writes them (`int4`, `NUMBER(10,2)`,
 * `varchar(2)`, `timestamp(6) with time zone`, `FLOAT64` ...), grouped into the families the
 * lakehouse stores. A name is matched without case, with its arguments taken out, so
 * `TIMESTAMP(6) WITH TIME ZONE` is `timestamp with time zone` with argument 6.
 *
 * Read from the vendors' type references:
 * - PostgreSQL: https://www.postgresql.org/docs/current/datatype.html
 * - MySQL: https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * - Snowflake: https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
 * - BigQuery: https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types
 * - Databricks/Spark: https://spark.apache.org/docs/latest/sql-ref-datatypes.html
 * - Oracle: https://docs.oracle.com/en/database/oracle/oracle-database/19/sqlrf/Data-Types.html
 * - SQL Server: https://learn.microsoft.com/en-us/sql/t-sql/data-types/data-types-transact-sql
 * - Trino/Athena: https://trino.io/docs/current/language/types.html, https://docs.aws.amazon.com/athena/latest/ug/data-types.html
 *
 * Integer names carry the width they have in PostgreSQL, MySQL, Spark, Trino and SQL Server
 * (`int` is 32 bits), the widest where they differ: `tinyint` is signed 8 bits (-128..127) in
 * MySQL, Spark and Trino but unsigned (0..255) in SQL Server, so it is 16 bits, which holds both.
 * MySQL's `unsigned` names are one step wider than their signed width; `bigint unsigned` reaches
 * 2^64-1, beyond any integer, so it is a decimal(20,0). MySQL's BOOL is a synonym for `tinyint(1)`,
 * which a boolean column therefore accepts (`holdsBoolean`). Snowflake's integer names all mean NUMBER(38,0) and BigQuery's all mean
 * INT64: such contracts say `NUMBER(38,0)` or `INT64` for values beyond 32 bits. Oracle's DATE
 * holds a time of day too; written `date`, it is read as a date.
 */

export type IntegerBits = 8 | 16 | 32 | 64;

export type PhysicalFamily =
  | { readonly family: 'integer'; readonly bits: IntegerBits }
  /** Exact numbers; precision and scale from the arguments, else the fixed ones given here. */
  | { readonly family: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly family: 'double' }
  /** `sized`: the first argument is a maximum length (`varchar(20)`); `defaultLength` when none is written. */
  | { readonly family: 'string'; readonly sized: boolean; readonly defaultLength?: number }
  | { readonly family: 'boolean' }
  | { readonly family: 'date' }
  | { readonly family: 'timestamp' };

const integer = (bits: IntegerBits): PhysicalFamily => ({ family: 'integer', bits });
const DECIMAL: PhysicalFamily = { family: 'decimal' };
const DOUBLE: PhysicalFamily = { family: 'double' };
const SIZED_STRING: PhysicalFamily = { family: 'string', sized: true };
// CHAR without a length is CHAR(1) in PostgreSQL, MySQL, Snowflake, Oracle and SQL Server.
const FIXED_CHAR: PhysicalFamily = { family: 'string', sized: true, defaultLength: 1 };
const STRING: PhysicalFamily = { family: 'string', sized: false };
const BOOLEAN: PhysicalFamily = { family: 'boolean' };
const DATE: PhysicalFamily = { family: 'date' };
const TIMESTAMP: PhysicalFamily = { family: 'timestamp' };

/** Known names, lowercase, arguments removed. Extend here; nothing else lists physical types. */
export const PHYSICAL_TYPES: ReadonlyMap<string, PhysicalFamily> = new Map<string, PhysicalFamily>([
  ['tinyint', integer(16)],
  // Spark's byte is signed 8 bits everywhere it is written.
  ['byte', integer(8)],
  ['smallint', integer(16)],
  ['int2', integer(16)],
  ['short', integer(16)],
  ['smallserial', integer(16)],
  ['serial2', integer(16)],
  ['tinyint unsigned', integer(16)],
  ['int', integer(32)],
  ['integer', integer(32)],
  ['int4', integer(32)],
  ['mediumint', integer(32)],
  ['serial', integer(32)],
  ['serial4', integer(32)],
  ['smallint unsigned', integer(32)],
  ['mediumint unsigned', integer(32)],
  ['bigint', integer(64)],
  ['int8', integer(64)],
  ['long', integer(64)],
  ['int64', integer(64)],
  ['bigserial', integer(64)],
  ['serial8', integer(64)],
  ['int unsigned', integer(64)],
  ['integer unsigned', integer(64)],
  ['bigint unsigned', { family: 'decimal', precision: 20, scale: 0 }],
  ['decimal', DECIMAL],
  ['numeric', DECIMAL],
  ['number', DECIMAL],
  ['dec', DECIMAL],
  ['double', DOUBLE],
  ['double precision', DOUBLE],
  ['float', DOUBLE],
  ['float4', DOUBLE],
  ['float8', DOUBLE],
  ['float64', DOUBLE],
  ['real', DOUBLE],
  ['binary_float', DOUBLE],
  ['binary_double', DOUBLE],
  ['varchar', SIZED_STRING],
  ['character varying', SIZED_STRING],
  ['char varying', SIZED_STRING],
  ['nvarchar', SIZED_STRING],
  ['varchar2', SIZED_STRING],
  ['nvarchar2', SIZED_STRING],
  ['string', SIZED_STRING],
  ['char', FIXED_CHAR],
  ['character', FIXED_CHAR],
  ['nchar', FIXED_CHAR],
  // PostgreSQL's bpchar without a length is blank-padded text of any length.
  ['bpchar', SIZED_STRING],
  ['text', STRING],
  ['tinytext', STRING],
  ['mediumtext', STRING],
  ['longtext', STRING],
  ['ntext', STRING],
  ['clob', STRING],
  ['nclob', STRING],
  ['citext', STRING],
  ['uuid', STRING],
  ['uniqueidentifier', STRING],
  ['json', STRING],
  ['jsonb', STRING],
  ['xml', STRING],
  ['inet', STRING],
  ['cidr', STRING],
  ['macaddr', STRING],
  ['boolean', BOOLEAN],
  ['bool', BOOLEAN],
  ['bit', BOOLEAN],
  ['date', DATE],
  ['timestamp', TIMESTAMP],
  ['timestamptz', TIMESTAMP],
  ['timestamp with time zone', TIMESTAMP],
  ['timestamp without time zone', TIMESTAMP],
  ['timestamp with local time zone', TIMESTAMP],
  ['timestamp_ntz', TIMESTAMP],
  ['timestamp_ltz', TIMESTAMP],
  ['timestamp_tz', TIMESTAMP],
  ['datetime', TIMESTAMP],
  ['datetime2', TIMESTAMP],
  ['datetimeoffset', TIMESTAMP],
  ['smalldatetime', TIMESTAMP],
]);

/** A physical type as written, split into its known family and its arguments. */
export interface PhysicalType {
  readonly written: string;
  /** Lowercase, arguments removed: the key of PHYSICAL_TYPES. */
  readonly name: string;
  readonly family: PhysicalFamily;
  /** The arguments between parentheses, trimmed (`['10', '2']`, `['20 byte']`, `['max']`). */
  readonly args: readonly string[];
}

/** The physical type's family, or undefined when the lakehouse does not know the type. */
export function readPhysicalType(written: string): PhysicalType | undefined {
  const normalized = written.trim().toLowerCase().replace(/\s+/g, ' ');
  const argsMatch = /\(([^()]*)\)/.exec(normalized);
  const name = (argsMatch === null ? normalized : normalized.replace(argsMatch[0], ' ')).replace(/\s+/g, ' ').trim();
  const family = PHYSICAL_TYPES.get(name);
  if (family === undefined) return undefined;
  const args = argsMatch === null ? [] : argsMatch[1]!.split(',').map((arg) => arg.trim());
  // BIT(n) is a bit string in MySQL and PostgreSQL; only BIT and BIT(1) hold one true/false.
  if (family.family === 'boolean' && args.length > 0 && !(args.length === 1 && args[0] === '1')) return undefined;
  return { written, name, family, args };
}

/** MySQL's BOOL and BOOLEAN are stored as `tinyint(1)`: a source declaring a boolean column writes that. */
export function holdsBoolean(physical: PhysicalType): boolean {
  return physical.family.family === 'boolean' || (physical.name === 'tinyint' && physical.args.length === 1 && physical.args[0] === '1');
}

/** The maximum length a sized string type gives (`varchar(20)`, `VARCHAR2(20 BYTE)`), if any. */
export function physicalLength(physical: PhysicalType): number | undefined {
  if (physical.family.family !== 'string' || !physical.family.sized) return undefined;
  const first = physical.args[0];
  if (first === undefined) return physical.family.defaultLength;
  const digits = /^(\d+)/.exec(first);
  return digits === null ? undefined : Number(digits[1]);
}
