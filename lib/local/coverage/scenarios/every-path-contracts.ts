/**
 * The contracts the pipelines' coverage scenarios run under. Three paths of a pipeline depend on
 * the contract, not the data: rows quarantined next to loaded ones need `onViolation:
 * quarantine-rows`, and a delivery without rows passes only as a header-only CSV (an empty JSON
 * Lines file is unreadable) and without a `rowCount` rule or a freshness SLA (no row is fresh). So
 * the scenarios run on a copy where every contract quarantines rows, has neither, and is delivered
 * as CSV. None of that is in a state machine definition (it is the validator's compiled contract),
 * so the copy's definitions must equal the shipped ones as a whole, which the coverage run checks
 * for every execution it counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { syncFolder } from '../../synced-folder.ts';

interface CustomProperty {
  readonly property: string;
  readonly value: unknown;
}

interface EditedContract {
  servers: { type: string; format?: string; delimiter?: string }[];
  customProperties?: CustomProperty[];
  slaProperties?: CustomProperty[];
  schema: { quality?: { metric?: string }[] }[];
}

function everyPath(contract: EditedContract): void {
  for (const server of contract.servers.filter((entry) => entry.type === 's3' && entry.format === 'json')) {
    server.format = 'csv';
    delete server.delimiter;
  }
  contract.customProperties = [
    ...(contract.customProperties ?? []).filter((entry) => entry.property !== 'onViolation'),
    { property: 'onViolation', value: 'quarantine-rows' },
  ];
  if (contract.slaProperties !== undefined) {
    contract.slaProperties = contract.slaProperties.filter((sla) => sla.property !== 'freshness' && sla.property !== 'latency');
  }
  for (const object of contract.schema) {
    if (object.quality !== undefined) object.quality = object.quality.filter((rule) => rule.metric !== 'rowCount');
  }
}

/** A contract of a domain folder: a YAML file directly in it, but its `domain.yaml`. */
function isContract(path: string): boolean {
  const parts = path.split('/');
  return parts.length === 2 && parts[1]!.endsWith('.yaml') && parts[1] !== 'domain.yaml';
}

/**
 * Makes `to` a copy of the contracts folder `from` (domains, models, samples), every contract
 * edited as above. A file already as it should be is not written again, so the copy of an
 * unchanged project is unchanged, down to the assembly cache's key; `staging` (outside `to`, on
 * its file system) holds each file written until it is renamed into place.
 */
export function writeEveryPathContracts(from: string, to: string, staging: string): void {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true }).filter((candidate) => candidate.isFile())) {
    const file = join(entry.parentPath, entry.name);
    const path = relative(from, file).split(sep).join('/');
    if (!isContract(path)) {
      files.set(path, readFileSync(file));
      continue;
    }
    const contract = parse(readFileSync(file, 'utf8')) as EditedContract;
    everyPath(contract);
    files.set(path, Buffer.from(stringify(contract)));
  }
  syncFolder(to, files, staging);
}
