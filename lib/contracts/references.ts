import { dirname, join, normalize } from 'node:path';
import type { RawContract } from './raw-contract.ts';

/** What reference resolution needs to know about other files, read on demand. */
export interface ReferenceLookup {
  /** The contract in `file`: 'invalid' when that file has problems, undefined when it does not exist. */
  contract(file: string): RawContract | 'invalid' | undefined;
  /** Dataset names a domain folder shares: 'invalid' when its domain.yaml has problems, undefined without one. */
  shares(domainFolder: string): readonly string[] | 'invalid' | undefined;
}

/** The contract a reference is written in. */
export interface ReferenceOrigin {
  readonly file: string;
  readonly domain: string;
  readonly contract: RawContract;
}

export interface ResolvedReference {
  readonly domain: string;
  readonly dataset: string;
  readonly column: string;
  /** The contract file holding the target; the origin's own file for references within it. */
  readonly file: string;
}

export type ReferenceResult = { readonly target: ResolvedReference } | { readonly problem: string };

const SHORTHAND = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/;
const FULLY_QUALIFIED =
  /^(?:(?:\.\.\/(?<domain>[a-z][a-z0-9_]*)\/)?(?<file>[^/#]+\.yaml)#)?\/?schema\/(?<schema>[A-Za-z0-9_-]+)\/properties\/(?<property>[A-Za-z0-9_-]+)$/;

const FILE_FORM = '<file>.yaml#/schema/<id>/properties/<id>';
const FORMS = `<dataset>.<column> in this contract, ${FILE_FORM} in this domain, or ../<domain>/${FILE_FORM}`;

/**
 * Resolve an ODCS `relationships[].to` (or `from`) reference to a column: `<dataset>.<column>`
 * within the contract, `[<file>.yaml#]/schema/<id>/properties/<id>` by ids (falling back to
 * names) within the domain, or `../<domain>/<file>.yaml#...` into a dataset another domain shares.
 */
export function resolveReference(reference: string, origin: ReferenceOrigin, lookup: ReferenceLookup): ReferenceResult {
  const fail = (reason: string): ReferenceResult => ({ problem: `relationship target '${reference}': ${reason}` });
  const shorthand = SHORTHAND.exec(reference);
  if (shorthand !== null) {
    const [, datasetName, columnName] = shorthand as unknown as [string, string, string];
    const dataset = origin.contract.schema.find((object) => object.name === datasetName);
    if (dataset === undefined) {
      const names = [...new Set(origin.contract.schema.map((object) => object.name))].join(', ');
      return fail(`this contract has no dataset '${datasetName}' (it has ${names}); a dataset in another file is referenced as ${FILE_FORM}`);
    }
    if (!dataset.properties.some((property) => property.name === columnName)) {
      return fail(`dataset '${datasetName}' has no column '${columnName}'`);
    }
    return { target: { domain: origin.domain, dataset: datasetName, column: columnName, file: origin.file } };
  }
  const qualified = FULLY_QUALIFIED.exec(reference)?.groups;
  if (qualified === undefined) return fail(`must be ${FORMS}`);

  const domain = qualified.domain ?? origin.domain;
  const joined =
    qualified.file === undefined
      ? origin.file
      : join(dirname(origin.file), qualified.domain === undefined ? '' : `../${qualified.domain}`, qualified.file);
  const file = normalize(joined) === normalize(origin.file) ? origin.file : joined;
  const contract = file === origin.file ? origin.contract : lookup.contract(file);
  if (contract === undefined) return fail(`there is no contract file ${file}`);
  if (contract === 'invalid') return fail(`${file} has problems of its own; fix them first`);

  const dataset = contract.schema.find((object) => (object.id ?? object.name) === qualified.schema);
  if (dataset === undefined) return fail(`${file} has no schema object with id '${qualified.schema}'`);
  const column = dataset.properties.find((property) => (property.id ?? property.name) === qualified.property);
  if (column === undefined) return fail(`schema object '${qualified.schema}' in ${file} has no property with id '${qualified.property}'`);

  if (domain !== origin.domain) {
    const shares = lookup.shares(dirname(file));
    if (shares === undefined) return fail(`domain '${domain}' has no domain.yaml`);
    if (shares === 'invalid') return fail(`the domain.yaml of domain '${domain}' has problems of its own; fix them first`);
    if (!shares.includes(dataset.name)) {
      return fail(`domain '${domain}' does not share dataset '${dataset.name}' (add it to shares in its domain.yaml to allow this)`);
    }
  }
  return { target: { domain, dataset: dataset.name, column: column.name, file } };
}
