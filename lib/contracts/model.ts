/**
 * The contract model: what the rest of the app reads after contracts are loaded and checked.
 *
 * Every field here is derived from `contracts/<domain>/domain.yaml` and the ODCS v3.1 contracts
 * beside it (see DESIGN.md, "Contracts"). Nothing downstream reads YAML; nothing downstream
 * re-derives a name that is already here.
 */

/** Where a value came from, so every later error can name `file:line:column`. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** ODCS `logicalType` values the project reads. */
export type LogicalType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'time' | 'object' | 'array';

/**
 * A column's storage type after `logicalType` and `physicalType` are combined:
 * `integer` without `physicalType` is a 64-bit integer, `number` is a double unless
 * `physicalType` says `decimal(p,s)`, `timestamp` accepts ISO-8601 with or without offset.
 */
export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly bits: 8 | 16 | 32 | 64 }
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' }
  /** `zone`: the IANA zone a value written without an offset is in (ODCS `defaultTimezone`); absent, UTC. */
  | { readonly kind: 'timestamp'; readonly zone?: string }
  /** A time of day `HH:MM:SS[.ffffff]`, stored as that text: Athena's Iceberg DDL has no time type. */
  | { readonly kind: 'time' }
  /** An ODCS `object` column: an Iceberg struct of its `properties`. */
  | { readonly kind: 'struct'; readonly fields: readonly StructField[] }
  /** An ODCS `array` column: an Iceberg list of its `items`; null elements are allowed. */
  | { readonly kind: 'list'; readonly element: ColumnType };

/** One field of a struct column: a null or absent value fails the column's `type` rule when `required`. */
export interface StructField {
  /** The lakehouse name, as the struct stores it. */
  readonly name: string;
  /** The key in a JSON Lines object or the field of a Parquet struct: `physicalName`, else the name as written. */
  readonly nameInFile: string;
  readonly type: ColumnType;
  readonly required: boolean;
}

/** One step from a nested column's value towards a field inside it: a struct's field, or each item of a list. */
export type NestedStep = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'items' };

/**
 * A scalar field inside an object or array column that the contract gives rules (its
 * `logicalTypeOptions`; its quality rules are in `Dataset.quality`, whose `column` is `path`).
 * A row fails such a rule when the field fails it in any item of a list on the way.
 */
export interface NestedField {
  /** The top-level column holding it. */
  readonly column: string;
  readonly steps: readonly NestedStep[];
  /** How reports name it: `address.zip`, `tags[]`, `lines[].sku`. */
  readonly path: string;
  readonly type: ColumnType;
  /** As on a column: `uuid` checks the format, a sized type (`varchar(3)`) limits the length. */
  readonly physicalType?: string;
  readonly physicalLength?: number;
  readonly constraints: ColumnConstraints;
  readonly position: SourcePosition;
}

/**
 * Which field decided a column's storage type: a known `physicalType` that fits `logicalType`,
 * `logicalType` alone (no physical type, or one the lakehouse does not know), the physical type
 * alone when `logicalType` is absent (`inferred`), or neither (`defaultString`: a string, with a
 * warning at check).
 */
export type TypeSource = 'physicalType' | 'logicalType' | 'inferred' | 'defaultString';

/** Property-level constraints from ODCS `logicalTypeOptions`. */
export interface ColumnConstraints {
  readonly minimum?: number | string;
  readonly maximum?: number | string;
  readonly exclusiveMinimum?: number | string;
  readonly exclusiveMaximum?: number | string;
  /** RE2-compatible pattern (checked at load); it must match the whole value. */
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  /** A number or integer column's values must be whole multiples of it. */
  readonly multipleOf?: number;
  /** An array column's item counts, nulls included, as ODCS (JSON Schema) counts them. */
  readonly minItems?: number;
  readonly maxItems?: number;
  /** No non-null item of an array column repeats (a null is no duplicate, as for keys). */
  readonly uniqueItems?: boolean;
}

export interface Column {
  /** The lakehouse name, derived from the name as written (lakehouse-name.ts): SQL, tables and reports use it. */
  readonly name: string;
  /** The column's name in data files (CSV header, JSON key, Parquet column): `physicalName`, else the name as written. */
  readonly nameInFile: string;
  readonly description?: string;
  readonly logicalType: LogicalType;
  readonly physicalType?: string;
  readonly type: ColumnType;
  /** Which field decided `type` (column-type.ts); `contracts list --json` shows it. */
  readonly typeFrom: TypeSource;
  /** Maximum length a sized string `physicalType` gives (`varchar(20)`, `char(2)`). */
  readonly physicalLength?: number;
  /** Declared `required`, or part of the primary key. */
  readonly required: boolean;
  /** Declared `unique` on its own; a key column's uniqueness is the whole key's (`Dataset.primaryKey`). */
  readonly unique: boolean;
  /** 1-based position in the primary key, or undefined when not part of it. */
  readonly primaryKeyPosition?: number;
  /** 1-based position in the partition spec, or undefined when not a partition column. */
  readonly partitionKeyPosition?: number;
  /** Any string, as ODCS allows; `public`, `internal`, `restricted`, `confidential` are ranked by the docs. */
  readonly classification?: string;
  readonly tags: readonly string[];
  /** Classification `restricted`/`confidential`/`pii` (any case) or tag `pii`: masked in samples, withheld from grants. */
  readonly sensitive: boolean;
  readonly constraints: ColumnConstraints;
  /** Resolved `relationships[].to` targets of this column, as `<domain>/<dataset>.<column>`. */
  readonly references: readonly ColumnReference[];
  readonly position: SourcePosition;
}

export interface ColumnReference {
  readonly dataset: string; // `<domain>/<dataset>`
  readonly column: string;
}

/** ODCS quality metrics the project evaluates, plus `sql` rules. */
export type QualityMetric =
  | 'nullValues'
  | 'missingValues'
  | 'invalidValues'
  | 'duplicateValues'
  | 'rowCount'
  | 'sql'
  /** The range a translated Great Expectations `between` sets (great-expectations.ts), with `bounds`. */
  | 'between';

export type Operator =
  | 'mustBe'
  | 'mustNotBe'
  | 'mustBeGreaterThan'
  | 'mustBeGreaterOrEqualTo'
  | 'mustBeLessThan'
  | 'mustBeLessOrEqualTo'
  | 'mustBeBetween'
  | 'mustNotBeBetween';

export type Severity = 'error' | 'warning';

export interface Threshold {
  readonly operator: Operator;
  /** A number, or `[low, high]` for the between operators. */
  readonly value: number | readonly [number, number];
  readonly unit: 'rows' | 'percent';
}

/** One `quality[]` entry, at schema-object level (`column` null) or property level. */
export interface QualityRule {
  /** The contract's rule `id`, when it gives one. */
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly metric: QualityMetric;
  /** The column a property-level rule belongs to (a nested field's `NestedField.path`); null for dataset-level rules. */
  readonly column: string | null;
  /** For dataset-level `duplicateValues`: the columns that together must be unique. */
  readonly columns?: readonly string[];
  readonly threshold: Threshold;
  readonly severity: Severity;
  /** `invalidValues`: allowed values. */
  readonly validValues?: readonly (string | number | boolean)[];
  /** `missingValues`: values counted as missing besides null. */
  readonly missingValues?: readonly string[];
  /** `invalidValues`: RE2 pattern a value must fully match. */
  readonly pattern?: string;
  /** `sql`: a query over `{object}` returning one number, compared with the threshold. */
  readonly query?: string;
  /**
   * `sql` whose query counts the rows where a condition holds (sql-rows-query.ts): the same query
   * selecting those rows' `_row`, so the rule judges rows one by one.
   */
  readonly rowsQuery?: string;
  /** `between`: the bounds a value must keep, one rule for both ends. */
  readonly bounds?: Pick<ColumnConstraints, 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum'>;
  readonly position: SourcePosition;
}

/** What kind of contract entry the lakehouse accepts but does not run. */
export type NotEnforcedKind = 'text' | 'custom' | 'format' | 'sla' | 'timezone';

/**
 * A contract entry nothing enforces: a `text` or unsupported `custom` rule, an unchecked
 * `logicalTypeOptions.format`, an SLA kind that is not measured, a timestamp's `timezone` or
 * `defaultTimezone`. Reported (a warning at check, a `notEvaluated` rule in every validation
 * report), never dropped silently.
 */
export interface NotEnforced {
  readonly kind: NotEnforcedKind;
  /** The contract's id for the entry, when it gives one. */
  readonly id?: string;
  /** The column it is attached to; null for dataset- and contract-level entries. */
  readonly column: string | null;
  readonly reason: string;
  readonly position: SourcePosition;
}

export type FileFormat = 'csv' | 'json' | 'parquet';

export interface CsvOptions {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
}

/** A duration in seconds, parsed from an ODCS SLA value and unit. */
export type Seconds = number;

export interface ClassBalance {
  readonly column: string;
  /** Each class value must make up at least this percent of non-null rows. */
  readonly minPercent: number;
  readonly severity: Severity;
  readonly position: SourcePosition;
}

export type OnViolation = 'quarantine-file' | 'quarantine-rows';
/** What to do with a column or JSON key the contract does not declare. */
export type UnknownColumns = 'fail' | 'ignore';
export type LoadMode = 'merge' | 'append';

export interface Owner {
  readonly team: string;
  readonly email: string;
}

/** Physical names derived once from environment-independent identity. */
export interface DatasetNames {
  /** `<domain>/<dataset>`: how a dataset is referenced everywhere. */
  readonly ref: string;
  /** Glue/Athena table name: the dataset's lakehouse name, `_v<major>` from major 2 on. */
  readonly table: string;
  /** Landing key prefix `<domain>/<dataset>/`. */
  readonly landingPrefix: string;
}

/** One `schema[]` object of a contract: the unit everything is built per. */
export interface Dataset {
  readonly domain: string;
  /** The lakehouse name, derived from the schema object's name as written (lakehouse-name.ts). */
  readonly name: string;
  readonly description?: string;
  readonly names: DatasetNames;
  readonly contract: ContractInfo;
  readonly columns: readonly Column[];
  /** Primary key column names in key order (empty when the dataset has none). */
  readonly primaryKey: readonly string[];
  /** Partition column names in partition order. */
  readonly partitionColumns: readonly string[];
  readonly quality: readonly QualityRule[];
  /** The nested fields with rules, in contract order. */
  readonly nestedFields: readonly NestedField[];
  /** Entries of the contract for this dataset that nothing enforces, in contract order. */
  readonly notEnforced: readonly NotEnforced[];
  readonly format: FileFormat;
  readonly csv: CsvOptions;
  /** Maximum age of the data at ingest (`slaProperties` freshness/latency), if declared. */
  readonly freshness?: { readonly column: string | null; readonly maxAge: Seconds; readonly position: SourcePosition };
  /** Expected delivery interval (`slaProperties` frequency), if declared. */
  readonly frequency?: Seconds;
  /** Where `frequency` is declared, for errors about it. */
  readonly frequencyPosition?: SourcePosition;
  /** Retention in days (`slaProperties` retention); undefined keeps data forever. */
  readonly retentionDays?: number;
  readonly onViolation: OnViolation;
  readonly unknownColumns: UnknownColumns;
  readonly loadMode: LoadMode;
  readonly classBalance?: ClassBalance;
  readonly owner: Owner;
  readonly position: SourcePosition;
}

export interface ContractInfo {
  readonly id: string;
  readonly name?: string;
  readonly version: string;
  readonly majorVersion: number;
  readonly status: string;
  readonly file: string;
}

export interface Consumer {
  readonly role: string;
  /** Principal ARN per environment name. */
  readonly principals: Readonly<Record<string, string>>;
}

export interface DomainConfig {
  readonly name: string;
  readonly file: string;
  readonly owner: Owner;
  readonly alertEmails: readonly string[];
  readonly consumers: readonly Consumer[];
  /** Dataset and model names other domains may `ref`. */
  readonly shares: readonly string[];
  /** Maintenance schedule as an EventBridge schedule expression, e.g. `cron(0 3 * * ? *)`. */
  readonly maintenanceSchedule: string;
}

export interface Domain extends DomainConfig {
  readonly contracts: readonly ContractInfo[];
  readonly datasets: readonly Dataset[];
}

/** Every domain under `contracts/`, loaded and checked. */
export interface Catalog {
  readonly root: string;
  readonly domains: readonly Domain[];
}
