import { anything, flag, stableId, strictObject, text, textList, unsupported, type JsonSchema } from './schema-parts.ts';

/**
 * The structure of an ODCS v3.1 contract as this project reads it. Every key ODCS allows at a
 * level is accepted (most are ignored); keys ODCS does not know are rejected, as ODCS does.
 * Rules that need more than one field (types against bounds, references, ...) are semantic
 * checks, not part of this schema.
 */

/** The ODCS versions a contract may be written in, oldest first; each has its standard schema vendored (lint-standard.ts). */
export const API_VERSIONS = ['v3.0.0', 'v3.0.1', 'v3.0.2', 'v3.1.0'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const LOGICAL_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'timestamp', 'time', 'object', 'array'] as const;
export const QUALITY_METRICS = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;
/** ODCS v3.0's library rules, named by `rule`, and the v3.1 metric each is (v30-quality.ts). */
export const V30_LIBRARY_RULES = { duplicateCount: 'duplicateValues', validValues: 'invalidValues', nullCheck: 'nullValues', rowCount: 'rowCount' } as const;
/** ODCS's quality severities; build-dataset maps each onto error or warning. */
export const QUALITY_SEVERITIES = ['error', 'warning', 'warn', 'info'] as const;
export type QualitySeverity = (typeof QUALITY_SEVERITIES)[number];
export const OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;
export const BETWEEN_OPERATORS: readonly string[] = ['mustBeBetween', 'mustNotBeBetween'];

const authoritativeDefinitions: JsonSchema = {
  type: 'array',
  items: strictObject({ id: stableId, url: text, type: text, description: text }, ['url', 'type']),
};

/**
 * A schema object or property name as the producer wrote it (`Orders`, `Unit Price`); the
 * lakehouse derives its own table and column names from it (lakehouse-name.ts), and so do
 * settings and rules that name a column.
 */
const writtenName: JsonSchema = { type: 'string', minLength: 1, description: 'a non-empty name' };

const boundedFraction = (minimum: number, maximum: number): JsonSchema => ({ type: 'number', minimum, maximum });
const singleCharacter: JsonSchema = { type: 'string', minLength: 1, maxLength: 1 };

/** Values of the custom properties this project reads, checked wherever they appear. */
const customPropertyValues: Record<string, JsonSchema> = {
  onViolation: { enum: ['quarantine-file', 'quarantine-rows'] },
  unknownColumns: { enum: ['fail', 'ignore'] },
  loadMode: { enum: ['merge', 'append'] },
  classBalance: strictObject(
    { column: writtenName, minPercent: boundedFraction(0, 100), severity: { enum: ['error', 'warning'] } },
    ['column', 'minPercent'],
  ),
  csv: strictObject({ delimiter: singleCharacter, quote: singleCharacter, escape: singleCharacter, header: flag }),
};

const customProperties: JsonSchema = {
  type: 'array',
  items: {
    ...strictObject({ id: stableId, property: text, value: anything, description: text }, ['property', 'value']),
    allOf: Object.entries(customPropertyValues).map(([name, value]) => ({
      if: { properties: { property: { const: name } }, required: ['property'] },
      then: { properties: { value } },
    })),
  },
};

const tags = textList;

const number: JsonSchema = { type: 'number' };
const operatorValues: Record<string, JsonSchema> = Object.fromEntries(
  OPERATORS.map((operator) => [
    operator,
    BETWEEN_OPERATORS.includes(operator) ? { type: 'array', items: number, minItems: 2, maxItems: 2 } : number,
  ]),
);

// null among validValues says a null is valid for the column.
const validValue: JsonSchema = { type: ['string', 'number', 'boolean', 'null'] };
const validValues: JsonSchema = { type: 'array', items: validValue, minItems: 1 };
const libraryArguments = strictObject({
  validValues,
  pattern: text,
  missingValues: { type: 'array', items: text },
  properties: { type: 'array', items: writtenName, minItems: 1 },
});

const evaluatedRule = (extra: Record<string, JsonSchema>): JsonSchema => ({
  properties: {
    unit: { enum: ['rows', 'percent'] },
    severity: { enum: QUALITY_SEVERITIES },
    ...operatorValues,
    ...extra,
  },
});

const qualityRule: JsonSchema = {
  ...strictObject({
    id: stableId,
    type: { enum: ['library', 'sql', 'text', 'custom'] },
    name: text,
    description: text,
    metric: text,
    rule: text,
    arguments: { type: 'object' },
    validValues: anything,
    query: text,
    unit: text,
    severity: text,
    dimension: text,
    method: text,
    businessImpact: text,
    schedule: text,
    scheduler: text,
    engine: text,
    implementation: { type: ['string', 'object'] },
    authoritativeDefinitions,
    customProperties,
    tags,
    ...Object.fromEntries(OPERATORS.map((operator) => [operator, anything])),
  }),
  allOf: [
    {
      // `type` defaults to library, so a rule without `type` is a library rule.
      if: { properties: { type: { const: 'library' } } },
      then: {
        ...evaluatedRule({ metric: { enum: QUALITY_METRICS }, arguments: libraryArguments, validValues }),
        // ODCS v3.0 named the metric `rule`; v3.1 still reads it (deprecated) when metric is absent.
        if: { required: ['metric'] },
        else: { properties: { rule: { enum: [...new Set([...Object.keys(V30_LIBRARY_RULES), ...QUALITY_METRICS])] } }, required: ['rule'] },
      },
    },
    {
      if: { properties: { type: { const: 'sql' } }, required: ['type'] },
      then: { ...evaluatedRule({}), required: ['query'] },
    },
  ],
};

const qualityRules: JsonSchema = { type: 'array', items: qualityRule };

const boundValue: JsonSchema = { type: ['number', 'string'] };
// ODCS v3.0 wrote an exclusive bound as a flag beside the plain one (exclusive-bounds.ts).
const exclusiveBound: JsonSchema = { type: ['number', 'string', 'boolean'] };
const logicalTypeOptions = strictObject({
  minimum: boundValue,
  maximum: boundValue,
  exclusiveMinimum: exclusiveBound,
  exclusiveMaximum: exclusiveBound,
  pattern: text,
  minLength: { type: 'integer', minimum: 0 },
  maxLength: { type: 'integer', minimum: 0 },
  format: text,
  multipleOf: { type: 'number', exclusiveMinimum: 0 },
  timezone: flag,
  defaultTimezone: text,
  minItems: { type: 'integer', minimum: 0 },
  maxItems: { type: 'integer', minimum: 0 },
  uniqueItems: flag,
  // ODCS's options of object columns: nothing checks them yet, so they are refused.
  minProperties: unsupported,
  maxProperties: unsupported,
});

const relationshipTarget: JsonSchema = { type: ['string', 'array'], items: text, minItems: 1 };
const relationshipKeys = { type: { const: 'foreignKey' }, to: relationshipTarget, customProperties };

const positionNumber: JsonSchema = { type: 'integer' };

/**
 * ODCS nests properties under an object column's `properties` and an array column's `items`, with
 * the same keys at any depth; a schema cannot contain itself, so the nested ones refer to it by its
 * `$id`. Only a property of `properties` needs a name (an `items` entry has none).
 */
const NESTED_PROPERTY = '#odcs-property';
const nestedProperty: JsonSchema = {
  $id: NESTED_PROPERTY,
  ...strictObject({
    id: stableId,
    name: writtenName,
    businessName: text,
    description: text,
    logicalType: { enum: LOGICAL_TYPES },
    physicalType: text,
    physicalName: text,
    logicalTypeOptions,
    required: flag,
    unique: flag,
    primaryKey: flag,
    primaryKeyPosition: positionNumber,
    partitioned: flag,
    partitionKeyPosition: positionNumber,
    classification: text,
    encryptedName: text,
    transformSourceObjects: textList,
    transformLogic: text,
    transformDescription: text,
    examples: { type: 'array' },
    criticalDataElement: flag,
    tags,
    authoritativeDefinitions,
    customProperties,
    quality: qualityRules,
    relationships: { type: 'array', items: strictObject(relationshipKeys, ['to']) },
    items: { $ref: NESTED_PROPERTY },
    properties: { type: 'array', items: { allOf: [{ $ref: NESTED_PROPERTY }], required: ['name'] }, minItems: 1 },
  }),
};
// logicalType is optional, as in ODCS: the physicalType implies it, else the column is a string.
const property: JsonSchema = { allOf: [nestedProperty], required: ['name'] };

const schemaObject = strictObject(
  {
    id: stableId,
    name: writtenName,
    businessName: text,
    description: text,
    logicalType: { const: 'object' },
    physicalType: text,
    physicalName: text,
    dataGranularityDescription: text,
    tags,
    authoritativeDefinitions,
    customProperties,
    properties: { type: 'array', items: property, minItems: 1 },
    quality: qualityRules,
    relationships: {
      type: 'array',
      items: strictObject({ ...relationshipKeys, from: relationshipTarget }, ['from', 'to']),
    },
  },
  ['name', 'properties'],
);

const role = strictObject(
  { id: stableId, role: text, description: text, access: text, firstLevelApprovers: text, secondLevelApprovers: text, customProperties },
  ['role'],
);

const serverKeys = {
  id: stableId,
  server: text,
  type: text,
  description: text,
  environment: text,
  roles: { type: 'array', items: role },
  customProperties,
};

const server: JsonSchema = {
  type: 'object',
  properties: serverKeys,
  required: ['server', 'type'],
  allOf: [
    {
      if: { properties: { type: { const: 's3' } }, required: ['type'] },
      then: strictObject(
        {
          ...serverKeys,
          location: { type: 'string', pattern: '^s3://', description: 'an s3:// location' },
          endpointUrl: text,
          format: { enum: ['csv', 'json', 'parquet'] },
          delimiter: { enum: ['new_line', 'array'] },
        },
        // ODCS requires only the location; the format is a deployment need (checkDeployment),
        // and a file validated on its own is read by its extension.
        ['location'],
      ),
    },
  ],
};

const teamMember = strictObject(
  {
    id: stableId,
    username: text,
    name: text,
    description: text,
    role: text,
    dateIn: text,
    dateOut: text,
    replacedByUsername: text,
    tags,
    customProperties,
    authoritativeDefinitions,
  },
  ['username'],
);

const team = strictObject({
  id: stableId,
  name: text,
  description: text,
  members: { type: 'array', items: teamMember },
  tags,
  customProperties,
  authoritativeDefinitions,
});

const supportChannel = strictObject(
  { id: stableId, channel: text, url: text, description: text, tool: text, scope: text, invitationUrl: text, customProperties },
  ['channel'],
);

const slaProperty = strictObject(
  {
    id: stableId,
    property: text,
    value: { type: ['string', 'number', 'boolean', 'null'] },
    valueExt: anything,
    unit: text,
    element: text,
    driver: text,
    description: text,
    scheduler: text,
    schedule: text,
  },
  ['property', 'value'],
);

export const contractSchema: JsonSchema = strictObject(
  {
    // v3.0 differs where the loader reads it: no timestamp logicalType (date with a timestamp
    // physicalType, column-type.ts), exclusive bounds as flags (exclusive-bounds.ts) and the
    // deprecated team list (both forms read here).
    apiVersion: { enum: API_VERSIONS },
    kind: { const: 'DataContract' },
    id: text,
    name: text,
    version: {
      type: 'string',
      pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$',
      description: 'a semantic version such as 1.2.0',
    },
    status: text,
    tenant: text,
    tags,
    domain: text,
    dataProduct: text,
    description: strictObject({ usage: text, purpose: text, limitations: text, authoritativeDefinitions, customProperties }),
    servers: { type: 'array', items: server, minItems: 1 },
    schema: { type: 'array', items: schemaObject, minItems: 1 },
    support: { type: 'array', items: supportChannel },
    price: strictObject({ id: stableId, priceAmount: number, priceCurrency: text, priceUnit: text }),
    // ODCS v3.0's list of members is deprecated but still valid in v3.1. if/else rather than
    // oneOf, so a mistake is reported inside the form written, not as the other form's type.
    team: { if: { type: 'array' }, then: { items: teamMember }, else: team },
    roles: { type: 'array', items: role },
    slaDefaultElement: text,
    slaProperties: { type: 'array', items: slaProperty },
    authoritativeDefinitions,
    customProperties,
    contractCreatedTs: text,
  },
  // servers is optional, as in ODCS: validating a file needs none, deploying needs an s3 entry (checkDeployment).
  ['apiVersion', 'kind', 'id', 'version', 'status', 'schema'],
);
