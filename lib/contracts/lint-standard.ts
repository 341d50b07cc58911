import { readFileSync } from 'node:fs';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { API_VERSIONS, type ApiVersion } from './contract-schema.ts';

// ajv-formats is CommonJS: under nodenext its default import is `module.exports`, whose
// `default` is the plugin.
const addFormats = addFormatsModule.default;

/**
 * The ODCS standard's own JSON Schema for each apiVersion the lakehouse reads (API_VERSIONS), as
 * the standard publishes it, vendored beside this file as `odcs-json-schema-<apiVersion>.json`
 * (standards/README.md says where each comes from), so `contracts lint` checks a contract against
 * the very schema its apiVersion names, offline.
 */
function schemaFile(apiVersion: ApiVersion): string {
  return `odcs-json-schema-${apiVersion}.json`;
}

/** API_VERSIONS lists the versions oldest first. */
const LATEST_API_VERSION: ApiVersion = API_VERSIONS[API_VERSIONS.length - 1]!;

function isApiVersion(apiVersion: unknown): apiVersion is ApiVersion {
  return (API_VERSIONS as readonly unknown[]).includes(apiVersion);
}

const validators = new Map<string, ValidateFunction>();

/** The standard's schema as vendored, for `apiVersion`. */
export function standardSchemaText(apiVersion: ApiVersion): string {
  return readFileSync(new URL(`./standards/${schemaFile(apiVersion)}`, import.meta.url), 'utf8');
}

/** The compiled standard schema of `apiVersion`, or undefined when no schema is vendored for it. */
export function standardValidator(apiVersion: unknown): ValidateFunction | undefined {
  if (!isApiVersion(apiVersion)) return undefined;
  let validate = validators.get(apiVersion);
  if (validate === undefined) {
    // Draft 2019-09 (unevaluatedProperties), with the formats the standard names (uri, date,
    // date-time); verbose so problems can quote the value written. Not strict: v3.0.0's and
    // v3.0.1's Athena server requires a field it never defines (staging_dir), which strict mode refuses.
    const ajv = new Ajv2019({ allErrors: true, verbose: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(acceptingItsOwnVersion(JSON.parse(standardSchemaText(apiVersion)) as StandardSchema, apiVersion));
    validators.set(apiVersion, validate);
  }
  return validate;
}

interface StandardSchema {
  readonly properties: { readonly apiVersion: { readonly enum: readonly string[] } };
}

/**
 * The schema as published, except that its apiVersion accepts the version it is for: the v3.0.2
 * file (as vendored, see standards/README.md) still lists only v3.0.1 and older, so as written
 * it would refuse every v3.0.2 contract for its apiVersion alone.
 */
function acceptingItsOwnVersion(schema: StandardSchema, apiVersion: string): StandardSchema {
  const named = schema.properties.apiVersion.enum;
  if (named.includes(apiVersion)) return schema;
  return { ...schema, properties: { ...schema.properties, apiVersion: { ...schema.properties.apiVersion, enum: [apiVersion, ...named] } } };
}

/**
 * Every apiVersion the standard names, older ones included (v2.2.x): what its latest schema's
 * apiVersion allows. A version named here but not vendored is one the lakehouse does not read.
 */
export function standardApiVersionsNamed(): readonly string[] {
  return (JSON.parse(standardSchemaText(LATEST_API_VERSION)) as StandardSchema).properties.apiVersion.enum;
}
