import { checkColumns } from './check-columns.ts';
import { checkQuality } from './check-quality.ts';
import { checkRelationships } from './check-relationships.ts';
import { checkSettings } from './check-settings.ts';
import { checkSla } from './check-sla.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { findCustomProperty } from './custom-properties.ts';
import { atField, type FieldPath } from './field-path.ts';
import { notEnforcedEntries } from './not-enforced.ts';
import { asWarning, type ContractProblem } from './problems.ts';
import type { ReferenceLookup } from './references.ts';

/**
 * Every semantic check of one structurally valid contract. Checks across the files of a domain
 * (a dataset defined twice) are made where all files are known.
 */
export function checkContract(under: ContractUnderCheck, lookup: ReferenceLookup): ContractProblem[] {
  return [
    ...checkIdentity(under),
    ...checkServers(under),
    ...under.contract.schema.flatMap((_, index) => [...checkColumns(under, index), ...checkQuality(under, index)]),
    ...checkSla(under),
    ...checkSettings(under),
    ...checkRelationships(under, lookup),
    ...notEnforcedWarnings(under),
  ];
}

/** Each entry nothing enforces, as a warning where it is written (issue 13 item 7). */
function notEnforcedWarnings({ contract, source }: ContractUnderCheck): ContractProblem[] {
  return notEnforcedEntries(contract).map(({ path, reason }) => asWarning(source.problem(path, atField(path, `not enforced: ${reason}`))));
}

function checkIdentity({ contract, source, domain }: ContractUnderCheck): ContractProblem[] {
  const problems: ContractProblem[] = [];
  if (contract.domain !== undefined && contract.domain !== domain) {
    problems.push(source.problem(['domain'], atField(['domain'], `'${contract.domain}' must equal the folder name '${domain}'`)));
  }
  // References find schema objects by id, falling back to the name; repeated names are reported
  // as repeated datasets, so only explicit ids are checked here.
  const ids = new Map<string, string>();
  contract.schema.forEach((dataset, index) => {
    const earlier = dataset.id === undefined ? undefined : ids.get(dataset.id);
    if (earlier !== undefined) {
      const path: FieldPath = ['schema', index, 'id'];
      problems.push(source.problem(path, atField(path, `schema object id '${dataset.id}' is already used by '${earlier}' in this contract`)));
    }
    ids.set(dataset.id ?? dataset.name, dataset.name);
  });
  return problems;
}

/** The one s3 server entry is where this project reads the landing format from. */
function checkServers({ contract, source, domain }: ContractUnderCheck): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const s3 = contract.servers.map((server, index) => ({ server, index })).filter(({ server }) => server.type === 's3');
  if (s3.length === 0) {
    report(['servers'], 'needs one server of type s3: its location, format and csv options say how files land');
  }
  for (const extra of s3.slice(1)) {
    report(['servers', extra.index, 'type'], `only one s3 server is read, and servers[${s3[0]!.index}] is one already`);
  }
  for (const { server, index } of s3.slice(0, 1)) {
    const path: FieldPath = ['servers', index];
    const prefix = `s3://landing/${domain}/`;
    if (!server.location!.startsWith(prefix)) {
      report([...path, 'location'], `must start with ${prefix} (the logical landing prefix; real bucket names are derived)`);
    }
    if (server.format === 'json' && server.delimiter !== 'new_line') {
      report(server.delimiter === undefined ? path : [...path, 'delimiter'], 'format json needs delimiter: new_line (JSON Lines, one document per line)');
    }
    if (server.format !== 'json' && server.delimiter !== undefined) {
      report([...path, 'delimiter'], `delimiter applies to format json only; CSV options go in the custom property csv`);
    }
    const csv = findCustomProperty(server.customProperties, [...path, 'customProperties'], 'csv');
    if (csv !== undefined && server.format !== 'csv') {
      report(csv.path, `csv options apply to format csv only (this server's format is ${server.format})`);
    }
  }
  return problems;
}
