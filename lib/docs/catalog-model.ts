/**
 * What the docs site shows, derived once from the loaded contracts, the compiled transforms and the
 * ML model specs: every page, the search index and the lineage graph read this, never a YAML file,
 * and every name comes from where the rest of the app takes it (names.ts, `Dataset.names`, the
 * validator's own rule derivation).
 */
import { dirname, relative } from 'node:path';
import { bucketName, glueDatabaseName, silverTableName, type EnvironmentIdentity } from '../config/names.ts';
import type { EnvironmentSettings, ModelApproval } from '../config/settings.ts';
import type { Catalog, Dataset, Domain, Owner } from '../contracts/model.ts';
import { reportPrefix } from '../ingest/layout.ts';
import { approvalIn } from '../ml/approval.ts';
import type { MlModel } from '../ml/model.ts';
import type { Materialization, TransformDag, TransformModel } from '../transforms/model.ts';
import { deriveRules, notEvaluatedRules } from '../validation/derive-rules.ts';
import type { RuleKind } from '../validation/report.ts';
import { reportedColumn } from '../validation/rule.ts';
import { columnTypeText } from './column-type-text.ts';
import { durationText } from './duration-text.ts';
import { nestedFieldRows, type NestedFieldRow } from './nested-field-rows.ts';
import { thresholdText } from './threshold-text.ts';

export interface DocsColumn {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly primaryKeyPosition?: number;
  readonly classification?: string;
  readonly sensitive: boolean;
  readonly tags: readonly string[];
  /** An object or array column's nested fields, listed indented under it. */
  readonly fields: readonly NestedFieldRow[];
  readonly description?: string;
}

/** One rule exactly as the validator runs it (`deriveRules`), in the report's terms. */
export interface DocsRule {
  readonly id: string;
  readonly kind: RuleKind;
  readonly column: string | null;
  readonly severity: 'error' | 'warning';
  readonly threshold: string;
}

export interface DocsDataset {
  /** `<domain>/<dataset>`. */
  readonly ref: string;
  readonly domain: string;
  readonly name: string;
  readonly description?: string;
  readonly contract: { readonly id: string; readonly version: string; readonly status: string; readonly file: string };
  readonly owner: Owner;
  readonly domainOwner: Owner;
  readonly alertEmails: readonly string[];
  readonly sla: { readonly freshness?: string; readonly frequency?: string; readonly retention: string };
  /** The most restrictive ranked classification of its columns, then any unranked ones (comma-separated); none when no column has one. */
  readonly classification?: string;
  readonly format: string;
  readonly onViolation: string;
  readonly loadMode: string;
  /** `s3://<landing bucket>/<domain>/<dataset>/`. */
  readonly landing: string;
  /** `<domain>/<dataset>/`: the landing prefix within the bucket. */
  readonly landingPrefix: string;
  /** `<database>.<table>`. */
  readonly silverTable: string;
  /** Where its validation reports are in the audit zone. */
  readonly reportPrefix: string;
  readonly columns: readonly DocsColumn[];
  readonly rules: readonly DocsRule[];
  /** The contract's rules nothing evaluates, with the reason (`notEvaluatedRules`). */
  readonly notEvaluated: readonly { readonly id: string; readonly kind: RuleKind; readonly column: string | null; readonly reason: string }[];
}

export interface DocsModelInput {
  /** `<domain>/<name>` of a model or a dataset. */
  readonly id: string;
  readonly kind: 'dataset' | 'model';
}

export interface DocsModelTest {
  readonly name: string;
  readonly kind: string;
  readonly column: string | null;
  readonly severity: string;
}

export interface DocsModel {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  readonly description?: string;
  readonly owner: Owner;
  readonly materialized: Materialization;
  readonly uniqueKey: readonly string[];
  /** `<database>.<model>`: the gold table or view. */
  readonly table: string;
  readonly file: string;
  /** The SELECT as written, before templating. */
  readonly sql: string;
  readonly inputs: readonly DocsModelInput[];
  readonly tests: readonly DocsModelTest[];
  readonly columns: readonly { readonly name: string; readonly description?: string }[];
}

export interface DocsMlModel {
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  readonly description?: string;
  readonly file: string;
  readonly featureModel: string;
  readonly key: readonly string[];
  readonly label: string;
  readonly features: readonly { readonly name: string; readonly type: string }[];
  readonly algorithm: string;
  readonly thresholds: readonly string[];
  readonly approval: Readonly<Record<string, ModelApproval>>;
  readonly trigger: string;
}

export interface DocsDomain {
  readonly name: string;
  readonly owner: Owner;
  readonly alertEmails: readonly string[];
  readonly datasets: readonly DocsDataset[];
  readonly models: readonly DocsModel[];
  readonly mlModels: readonly DocsMlModel[];
}

export interface DocsCatalog {
  /** The environment whose physical names the pages show. */
  readonly environment: string;
  readonly domains: readonly DocsDomain[];
}

export interface DocsCatalogInput {
  readonly catalog: Catalog;
  readonly dag: TransformDag;
  readonly mlModels: readonly MlModel[];
  readonly identity: EnvironmentIdentity;
  /** Every environment of `cdk.json`: an ML model's approval is shown for each. */
  readonly environments: readonly EnvironmentSettings[];
}

const CLASSIFICATION_ORDER: readonly string[] = ['public', 'internal', 'restricted', 'confidential'];

/**
 * The most restrictive of its columns' ranked classifications, followed by any classification
 * the lakehouse cannot rank (ODCS allows any string), so none is hidden behind a known one.
 */
function mostRestrictive(dataset: Dataset): string | undefined {
  const declared = [...new Set(dataset.columns.flatMap((column) => (column.classification === undefined ? [] : [column.classification])))];
  const ranks = declared.map((classification) => CLASSIFICATION_ORDER.indexOf(classification)).filter((rank) => rank >= 0);
  const shown = [...(ranks.length === 0 ? [] : [CLASSIFICATION_ORDER[Math.max(...ranks)]!]), ...declared.filter((classification) => !CLASSIFICATION_ORDER.includes(classification))];
  return shown.length === 0 ? undefined : shown.join(', ');
}

function docsDataset(dataset: Dataset, domain: Domain, identity: EnvironmentIdentity, shown: ShownFile): DocsDataset {
  return {
    ref: dataset.names.ref,
    domain: dataset.domain,
    name: dataset.name,
    ...(dataset.description === undefined ? {} : { description: dataset.description }),
    contract: { id: dataset.contract.id, version: dataset.contract.version, status: dataset.contract.status, file: shown(dataset.contract.file) },
    owner: dataset.owner,
    domainOwner: domain.owner,
    alertEmails: domain.alertEmails,
    sla: {
      ...(dataset.freshness === undefined ? {} : { freshness: durationText(dataset.freshness.maxAge) }),
      ...(dataset.frequency === undefined ? {} : { frequency: durationText(dataset.frequency) }),
      retention: dataset.retentionDays === undefined ? 'kept forever' : `${dataset.retentionDays} days`,
    },
    ...(mostRestrictive(dataset) === undefined ? {} : { classification: mostRestrictive(dataset)! }),
    format: dataset.format,
    onViolation: dataset.onViolation,
    loadMode: dataset.loadMode,
    landing: `s3://${bucketName(identity, 'landing')}/${dataset.names.landingPrefix}`,
    landingPrefix: dataset.names.landingPrefix,
    silverTable: `${glueDatabaseName(identity, dataset.domain)}.${silverTableName(dataset)}`,
    reportPrefix: reportPrefix(dataset),
    columns: dataset.columns.map((column) => ({
      name: column.name,
      type: columnTypeText(column.type),
      fields: nestedFieldRows(column.type),
      required: column.required,
      unique: column.unique,
      ...(column.primaryKeyPosition === undefined ? {} : { primaryKeyPosition: column.primaryKeyPosition }),
      ...(column.classification === undefined ? {} : { classification: column.classification }),
      sensitive: column.sensitive,
      tags: column.tags,
      ...(column.description === undefined ? {} : { description: column.description }),
    })),
    rules: deriveRules(dataset).map((rule) => ({
      id: rule.id,
      kind: rule.kind,
      column: reportedColumn(rule),
      severity: rule.severity,
      threshold: thresholdText(rule.threshold),
    })),
    // What the contract has and nothing runs is listed too, saying so, as every report lists it.
    notEvaluated: notEvaluatedRules(dataset).map(({ id, kind, column, reason }) => ({ id, kind, column, reason })),
  };
}

function docsModel(model: TransformModel, identity: EnvironmentIdentity, shown: ShownFile): DocsModel {
  const inputs = new Map<string, DocsModelInput>();
  for (const target of model.resolved.values()) inputs.set(target.id, { id: target.id, kind: target.kind });
  return {
    id: model.id,
    domain: model.domain,
    name: model.name,
    ...(model.description === undefined ? {} : { description: model.description }),
    owner: model.owner,
    materialized: model.materialized,
    uniqueKey: model.uniqueKey,
    table: `${glueDatabaseName(identity, model.domain)}.${model.name}`,
    file: shown(model.file),
    sql: model.template.trim(),
    inputs: [...inputs.values()].sort((a, b) => a.id.localeCompare(b.id)),
    tests: model.tests.map((test) => ({ name: test.name, kind: test.kind, column: test.column, severity: test.severity })),
    columns: model.columns.map((column) => ({ name: column.name, ...(column.description === undefined ? {} : { description: column.description }) })),
  };
}

function docsMlModel(model: MlModel, environments: readonly EnvironmentSettings[], shown: ShownFile): DocsMlModel {
  return {
    id: model.id,
    domain: model.domain,
    name: model.name,
    ...(model.description === undefined ? {} : { description: model.description }),
    file: shown(model.file),
    featureModel: model.featureModel,
    key: model.key,
    label: model.label,
    features: model.features.map((feature) => ({ name: feature.name, type: feature.type })),
    algorithm: `${model.algorithm.name} ${model.algorithm.objective}`,
    thresholds: model.thresholds.map((threshold) => `${threshold.metric} ${threshold.operator} ${threshold.value}`),
    approval: Object.fromEntries(environments.map((environment) => [environment.name, approvalIn(model, environment)])),
    trigger: model.trigger.kind === 'schedule' ? model.trigger.expression : model.trigger.kind,
  };
}

/** A source file as the pages name it: from the folder holding the contracts root (`contracts/sales/orders.yaml`), wherever the site is generated. */
type ShownFile = (file: string) => string;

export function docsCatalog(input: DocsCatalogInput): DocsCatalog {
  const { catalog, dag, mlModels, identity, environments } = input;
  const shown: ShownFile = (file) => relative(dirname(catalog.root), file);
  return {
    environment: identity.environment,
    domains: catalog.domains.map((domain) => ({
      name: domain.name,
      owner: domain.owner,
      alertEmails: domain.alertEmails,
      datasets: domain.datasets.map((dataset) => docsDataset(dataset, domain, identity, shown)),
      models: dag.models.filter((model) => model.domain === domain.name).map((model) => docsModel(model, identity, shown)),
      mlModels: mlModels.filter((model) => model.domain === domain.name).map((model) => docsMlModel(model, environments, shown)),
    })),
  };
}

/** Every dataset of every domain, in catalog order. */
export function allDatasets(catalog: DocsCatalog): DocsDataset[] {
  return catalog.domains.flatMap((domain) => domain.datasets);
}

export function allModels(catalog: DocsCatalog): DocsModel[] {
  return catalog.domains.flatMap((domain) => domain.models);
}

export function allMlModels(catalog: DocsCatalog): DocsMlModel[] {
  return catalog.domains.flatMap((domain) => domain.mlModels);
}
