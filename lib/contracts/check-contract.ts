import { checkColumns } from './check-columns.ts';
import { checkFormats } from './check-formats.ts';
import { checkMultipleOf } from './check-multiple-of.ts';
import { checkQuality } from './check-quality.ts';
import { checkRelationships } from './check-relationships.ts';
import { checkSettings } from './check-settings.ts';
import { checkNestedColumns } from './check-nested-columns.ts';
import { checkSla } from './check-sla.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { findCustomProperty } from './custom-properties.ts';
import { atField, type FieldPath } from './field-path.ts';
import { notEnforcedEntries } from './not-enforced.ts';
import { asWarning, type ContractProblem } from './problems.ts';
import { readingServer } from './reading-server.ts';
import { checkTimeZones } from './time-zones.ts';
import type { ReferenceLookup } from './references.ts';

/**
 * Every semantic check of one structurally valid contract that validating a file needs. Checks
 * across the files of a domain (a dataset defined twice) are made where all files are known;
 * what only deploying needs is checkDeployment's.
 */
export function checkContract(under: ContractUnderCheck, lookup: ReferenceLookup): ContractProblem[] {
  return [
    ...checkIdentity(under),
    ...checkServers(under),
    ...under.contract.schema.flatMap((_, index) => [...checkColumns(under, index), ...checkNestedColumns(under, index), ...checkQuality(under, index)]),
    ...checkSla(under),
    ...checkSettings(under),
    ...checkRelationships(under, lookup),
    ...checkFormats(under),
    ...checkMultipleOf(under),
    ...checkTimeZones(under),
    ...notEnforcedWarnings(under),
  ];
}

/** Each entry nothing enforces, as a warning where it is written (issue 13 item 7). */
function notEnforcedWarnings({ contract, source }: ContractUnderCheck): ContractProblem[] {
  return notEnforcedEntries(contract).map(({ path, reason }) => asWarning(source.problem(path, atField(path, `not enforced: ${reason}`))));
}

function checkIdentity({ contract, source }: ContractUnderCheck): ContractProblem[] {
  const problems: ContractProblem[] = [];
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

/**
 * How the reading server's options fit its format. Where files land (the s3 location, one s3
 * server) is a deployment need, checked by checkDeployment.
 */
function checkServers({ contract, source }: ContractUnderCheck): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const reading = readingServer(contract);
  if (reading === undefined || reading.server.format === undefined) return problems;
  const { server, index } = reading;
  const path: FieldPath = ['servers', index];
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
  return problems;
}
