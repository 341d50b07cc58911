/**
 * The transform model: SQL models of `contracts/<domain>/transforms/<model>.sql`, resolved into one
 * DAG over every domain (DESIGN.md, "Transforms per domain"). Pure data: rendering, inference and
 * building read it; nothing downstream re-reads a model file.
 */
import type { Dataset, Owner, Severity, SourcePosition } from '../contracts/model.ts';

export type Materialization = 'view' | 'table' | 'incremental';

export const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'incremental'];

export type ModelTestKind = 'not_null' | 'unique' | 'accepted_values' | 'relationships' | 'sql';

/** A `ref()` as written, before it is resolved. */
export interface RefCall {
  /** `<name>` or `<domain>/<name>`, as inside the quotes. */
  readonly name: string;
  readonly position: SourcePosition;
}

/** One test, in dbt's words; every test is a query returning the failing rows. */
export interface ModelTest {
  /** Unique within its model: `<column>.<kind>`, or the custom test's `name` (else `sql`), suffixed `#2` when repeated. */
  readonly name: string;
  readonly kind: ModelTestKind;
  /** Null for custom SQL tests. */
  readonly column: string | null;
  readonly severity: Severity;
  /** `accepted_values`. */
  readonly values?: readonly (string | number | boolean)[];
  /** `relationships`: the parent, as a ref call, and its column. */
  readonly to?: RefCall;
  readonly field?: string;
  /** `sql`: a templated SELECT returning failing rows; `{{ this }}` is the relation under test. */
  readonly sql?: string;
  readonly position: SourcePosition;
}

export interface ModelColumn {
  readonly name: string;
  readonly description?: string;
  readonly position: SourcePosition;
}

/** A model file, parsed and checked on its own (refs not yet resolved). */
export interface ModelSource {
  /** `<domain>/<name>`. */
  readonly id: string;
  readonly domain: string;
  /** The file name without `.sql`; also the gold table's name in the domain's database. */
  readonly name: string;
  readonly file: string;
  readonly materialized: Materialization;
  /** Columns an incremental model merges on; empty for other materializations. */
  readonly uniqueKey: readonly string[];
  readonly description?: string;
  readonly owner: Owner;
  readonly columns: readonly ModelColumn[];
  readonly tests: readonly ModelTest[];
  /** The SELECT after the front matter: a nunjucks template. */
  readonly template: string;
  /** 1-based line of the file where `template` starts, so template errors point into the file. */
  readonly templateLine: number;
  /** Every `ref()` of the template, custom tests and relationships, in file order. */
  readonly refs: readonly RefCall[];
  readonly position: SourcePosition;
}

/** What a ref resolves to: a contract's dataset (its silver table) or another model (its gold table or view). */
export type RefTarget =
  | { readonly kind: 'dataset'; readonly id: string; readonly domain: string; readonly table: string; readonly dataset: Dataset }
  | { readonly kind: 'model'; readonly id: string; readonly domain: string; readonly table: string };

export interface TransformModel extends ModelSource {
  /** Each distinct ref name written in this model's file, resolved. */
  readonly resolved: ReadonlyMap<string, RefTarget>;
  /** Ids of the models this one reads, directly. */
  readonly upstream: readonly string[];
}

/** An edge `from` -> `to`: model `to` reads `from` (a dataset id or a model id). */
export interface DagEdge {
  readonly from: string;
  readonly to: string;
}

/** Every domain's models as one DAG. */
export interface TransformDag {
  /** In topological order: a model comes after every model it reads. */
  readonly models: readonly TransformModel[];
  readonly edges: readonly DagEdge[];
  /** Model ids in the order of `models`. */
  readonly order: readonly string[];
}
