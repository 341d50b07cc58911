import { DOMAIN_FILE } from './contract-files.ts';

/** `.yaml` or `.yml`, in any case: both are how tools and people name YAML files. */
const YAML_NAME = /\.ya?ml$/i;
/** JSON is YAML, so a contract exported as JSON would read as one; it is read only once renamed. */
const JSON_NAME = /\.json$/i;
/** The domain file under the other YAML extension: refused rather than read as a contract. */
export const MISNAMED_DOMAIN_FILE = DOMAIN_FILE.replace(YAML_NAME, '.yml');

/** A file of a domain folder the loader reads as a contract. */
export function isContractFileName(name: string): boolean {
  return YAML_NAME.test(name) && name !== DOMAIN_FILE && name !== MISNAMED_DOMAIN_FILE;
}

/** A JSON file of a domain folder: maybe a contract, not read as one. */
export function isJsonFileName(name: string): boolean {
  return JSON_NAME.test(name);
}

/** A file that may be meant as a contract or domain file, wherever it is. */
export function mayBeContractFileName(name: string): boolean {
  return YAML_NAME.test(name) || JSON_NAME.test(name);
}

/** `orders.json` -> `orders.yaml`: the name under which the loader reads it. */
export function asYamlFileName(name: string): string {
  return name.replace(JSON_NAME, '.yaml');
}
