/**
 * The shape of a contract and a domain file once they passed their JSON Schema: the plain
 * YAML data, before semantic checks and before the model is built. Only the fields this
 * project reads are typed.
 */
import type { ColumnConstraints } from './model.ts';
import type { QualitySeverity } from './contract-schema.ts';

export interface RawCustomProperty {
  readonly property: string;
  readonly value: unknown;
}

export interface RawQualityRule {
  readonly id?: string;
  readonly type?: 'library' | 'sql' | 'text' | 'custom';
  readonly name?: string;
  readonly description?: string;
  readonly metric?: string;
  /** ODCS v3.0's name for `metric` (v30-quality.ts), deprecated in v3.1. */
  readonly rule?: string;
  /** ODCS v3.0's `rule: validValues` lists its values here rather than in `arguments`. */
  readonly validValues?: readonly (string | number | boolean | null)[];
  readonly arguments?: {
    readonly validValues?: readonly (string | number | boolean | null)[];
    readonly pattern?: string;
    readonly missingValues?: readonly string[];
    readonly properties?: readonly string[];
  };
  readonly query?: string;
  /** `type: custom`: the engine that runs `implementation` (soda, great-expectations, ...). */
  readonly engine?: string;
  readonly implementation?: string | Readonly<Record<string, unknown>>;
  readonly unit?: 'rows' | 'percent';
  readonly severity?: QualitySeverity;
  readonly [operator: string]: unknown;
}

export interface RawRelationship {
  readonly from?: string | readonly string[];
  readonly to: string | readonly string[];
}

/**
 * Read as written: the model's constraints have the shape ODCS v3.1 gives them; ODCS v3.0's
 * exclusive bounds are flags beside the plain bound (exclusive-bounds.ts).
 */
export type RawLogicalTypeOptions = Omit<ColumnConstraints, 'exclusiveMinimum' | 'exclusiveMaximum'> & {
  readonly exclusiveMinimum?: number | string | boolean;
  readonly exclusiveMaximum?: number | string | boolean;
  /** Read by nothing: listed as not enforced (not-enforced.ts). */
  readonly timezone?: boolean;
  /** A timestamp column's zone for values without an offset (time-zones.ts). */
  readonly defaultTimezone?: string;
};

export interface RawProperty {
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  /** Optional, as in ODCS: the physical type implies it, else the column is a string (column-type.ts). */
  readonly logicalType?: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'time' | 'object' | 'array';
  readonly physicalType?: string;
  readonly physicalName?: string;
  readonly logicalTypeOptions?: RawLogicalTypeOptions;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly primaryKey?: boolean;
  readonly primaryKeyPosition?: number;
  readonly partitioned?: boolean;
  readonly partitionKeyPosition?: number;
  readonly classification?: string;
  readonly tags?: readonly string[];
  readonly customProperties?: readonly RawCustomProperty[];
  readonly quality?: readonly RawQualityRule[];
  readonly relationships?: readonly RawRelationship[];
  /** An `object` column's fields. */
  readonly properties?: readonly RawProperty[];
  /** An `array` column's element, whose `name` and `logicalType` ODCS leaves optional. */
  readonly items?: RawItems;
}

/** ODCS `SchemaItemProperty`: an array's element. */
export type RawItems = Omit<RawProperty, 'name' | 'logicalType'> & Partial<Pick<RawProperty, 'name' | 'logicalType'>>;

export interface RawSchemaObject {
  readonly id?: string;
  readonly name: string;
  readonly physicalName?: string;
  readonly description?: string;
  readonly properties: readonly RawProperty[];
  readonly quality?: readonly RawQualityRule[];
  readonly relationships?: readonly RawRelationship[];
  readonly customProperties?: readonly RawCustomProperty[];
}

export interface RawServer {
  readonly server: string;
  readonly type: string;
  readonly location?: string;
  readonly format?: 'csv' | 'json' | 'parquet';
  readonly delimiter?: 'new_line' | 'array';
  readonly customProperties?: readonly RawCustomProperty[];
}

export interface RawSlaProperty {
  readonly property: string;
  readonly value: string | number | boolean | null;
  readonly unit?: string;
  readonly element?: string;
}

export interface RawTeam {
  readonly name?: string;
  readonly members?: readonly { readonly username: string; readonly role?: string }[];
}

export interface RawContract {
  readonly id: string;
  readonly name?: string;
  readonly version: string;
  readonly status: string;
  readonly domain?: string;
  /** The team object, or ODCS v3.0's deprecated list of its members. */
  readonly team?: RawTeam | NonNullable<RawTeam['members']>;
  readonly servers?: readonly RawServer[];
  readonly schema: readonly RawSchemaObject[];
  readonly slaProperties?: readonly RawSlaProperty[];
  readonly customProperties?: readonly RawCustomProperty[];
}

export interface RawDomainFile {
  readonly domain: string;
  readonly owner: { readonly team: string; readonly email: string };
  readonly alerts: { readonly emails: readonly string[] };
  readonly consumers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly shares?: readonly string[];
  readonly maintenance?: { readonly schedule?: string };
}
