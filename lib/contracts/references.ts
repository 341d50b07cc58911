import { dirname, join, normalize } from 'node:path';
import { lakehouseNameOf } from './lakehouse-name.ts';
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

/** A resolved target, its dataset and column named as written in the target's contract. */
export interface ResolvedReference {
  readonly domain: string;
  readonly dataset: string;
  readonly column: string;
  /** The contract file holding the target; the origin's own file for references within it. */
  readonly file: string;
}

export type ReferenceResult = { readonly target: ResolvedReference } | { readonly problem: string };

const SHORTHAND = /^([^./#]+)\.([^./#]+)$/;
const FULLY_QUALIFIED =
  /^(?:(?:\.\.\/(?<domain>[a-z][a-z0-9_]*)\/)?(?<file>[^/#]+\.yaml)#)?\/?schema\/(?<schema>[^/#]+)\/properties\/(?<property>[^/#]+)$/;

const FILE_FORM = '<file>.yaml#/schema/<id>/properties/<id>';
const FORMS = `<dataset>.<column> in this contract, ${FILE_FORM} in this domain, or ../<domain>/${FILE_FORM}`;

/**
 * Resolve an ODCS `relationships[].to` (or `from`) reference to a column: `<dataset>.<column>`
 * within the contract, `[<file>.yaml#]/schema/<id>/properties/<id>` by ids (falling back to
 * names) within the domain, or `../<domain>/<file>.yaml#...` into a dataset another domain shares.
 * A name may be written as in its contract or as its lakehouse name (`Orders.OrderID` or `orders.orderid`).
 */
export function resolveReference(reference: string, origin: ReferenceOrigin, lookup: ReferenceLookup): ReferenceResult {
  const fail = (reason: string): ReferenceResult => ({ problem: `relationship target '${reference}': ${reason}` });
  const shorthand = SHORTHAND.exec(reference);
  if (shorthand !== null) {
    const [, datasetName, columnName] = shorthand as unknown as [string, string, string];
    const dataset = byName(origin.contract.schema, datasetName);
    if (dataset === undefined) {
      const names = [...new Set(origin.contract.schema.map((object) => object.name))].join(', ');
      return fail(`this contract has no dataset '${datasetName}' (it has ${names}); a dataset in another file is referenced as ${FILE_FORM}`);
    }
    const column = byName(dataset.properties, columnName);
    if (column === undefined) return fail(`dataset '${datasetName}' has no column '${columnName}'`);
    return { target: { domain: origin.domain, dataset: dataset.name, column: column.name, file: origin.file } };
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

  const dataset = byId(contract.schema, qualified.schema!);
  if (dataset === undefined) return fail(`${file} has no schema object with id '${qualified.schema}'`);
  const column = byId(dataset.properties, qualified.property!);
  if (column === undefined) return fail(`schema object '${qualified.schema}' in ${file} has no property with id '${qualified.property}'`);

  if (domain !== origin.domain) {
    const shares = lookup.shares(dirname(file));
    if (shares === undefined) return fail(`domain '${domain}' has no domain.yaml`);
    if (shares === 'invalid') return fail(`the domain.yaml of domain '${domain}' has problems of its own; fix them first`);
    if (!shares.includes(dataset.name) && !shares.includes(lakehouseNameOf(dataset.name) ?? dataset.name)) {
      return fail(`domain '${domain}' does not share dataset '${dataset.name}' (add it to shares in its domain.yaml to allow this)`);
    }
  }
  return { target: { domain, dataset: dataset.name, column: column.name, file } };
}

interface Named {
  readonly id?: string;
  readonly name: string;
}

/** The entry written with this name, else the one whose lakehouse name it is. */
function byName<T extends Named>(entries: readonly T[], name: string): T | undefined {
  return entries.find((entry) => entry.name === name) ?? entries.find((entry) => lakehouseNameOf(entry.name) === name);
}

/** The entry with this id, else (ids are optional) the one with this name. */
function byId<T extends Named>(entries: readonly T[], id: string): T | undefined {
  return entries.find((entry) => (entry.id ?? entry.name) === id) ?? byName(entries, id);
}
