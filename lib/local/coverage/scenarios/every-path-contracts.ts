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
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

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

/** Copies the contracts folder `from` (domains, models, samples) to `to`, every contract edited as above. */
export function writeEveryPathContracts(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  for (const domain of readdirSync(to, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const folder = join(to, domain.name);
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml') && file !== 'domain.yaml')) {
      const file = join(folder, name);
      const contract = parse(readFileSync(file, 'utf8')) as EditedContract;
      everyPath(contract);
      writeFileSync(file, stringify(contract));
    }
  }
}
