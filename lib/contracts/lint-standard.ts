import { readFileSync } from 'node:fs';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under nodenext its default import is `module.exports`, whose
// `default` is the plugin.
const addFormats = addFormatsModule.default;

/**
 * The ODCS standard's own JSON Schema for each apiVersion the lakehouse reads, vendored beside
 * this file (standards/README.md says where each comes from), so `contracts lint` checks a
 * contract against the very schema its apiVersion names, offline.
 */
const SCHEMA_FILES: Readonly<Record<string, string>> = {
  'v3.1.0': 'odcs-json-schema-v3.1.0.json',
};

export const STANDARD_API_VERSIONS: readonly string[] = Object.keys(SCHEMA_FILES);
const LATEST_API_VERSION = 'v3.1.0';

const validators = new Map<string, ValidateFunction>();

/** The standard's schema as vendored, for `apiVersion` (one of STANDARD_API_VERSIONS). */
export function standardSchemaText(apiVersion: string): string {
  return readFileSync(new URL(`./standards/${SCHEMA_FILES[apiVersion]}`, import.meta.url), 'utf8');
}

/** The compiled standard schema of `apiVersion`, or undefined when no schema is vendored for it. */
export function standardValidator(apiVersion: unknown): ValidateFunction | undefined {
  if (typeof apiVersion !== 'string' || !Object.hasOwn(SCHEMA_FILES, apiVersion)) return undefined;
  let validate = validators.get(apiVersion);
  if (validate === undefined) {
    // Draft 2019-09 (unevaluatedProperties), with the formats the standard names (uri, date,
    // date-time); verbose so problems can quote the value written.
    const ajv = new Ajv2019({ allErrors: true, verbose: true });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(standardSchemaText(apiVersion)));
    validators.set(apiVersion, validate);
  }
  return validate;
}

/**
 * Every apiVersion the standard names, older ones included (v2.2.x): what its latest schema's
 * apiVersion allows. A version named here but not vendored is one the lakehouse does not read.
 */
export function standardApiVersionsNamed(): readonly string[] {
  const schema = JSON.parse(standardSchemaText(LATEST_API_VERSION)) as { properties: { apiVersion: { enum: string[] } } };
  return schema.properties.apiVersion.enum;
}
