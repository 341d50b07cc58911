import type { ContractUnderCheck } from './contract-under-check.ts';
import { atField, type FieldPath } from './field-path.ts';
import type { ContractProblem } from './problems.ts';

/**
 * What deploying a contract needs beyond what validating a file with it needs (`contracts check`
 * and synth ask for it; `validate --contract` does not): the domain its folder names, and one s3
 * server whose location is the dataset's logical landing prefix and whose format says how files land.
 */
export function checkDeployment(under: ContractUnderCheck): ContractProblem[] {
  return [...checkDomainField(under), ...checkLandingServer(under)];
}

/** In a domain folder, a contract's `domain` names that folder's domain. */
export function checkDomainField({ contract, source, domain }: ContractUnderCheck): ContractProblem[] {
  if (contract.domain === undefined || contract.domain === domain) return [];
  return [source.problem(['domain'], atField(['domain'], `'${contract.domain}' must equal the folder name '${domain}'`))];
}

function checkLandingServer({ contract, source, domain }: ContractUnderCheck): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const report = (path: FieldPath, message: string) => problems.push(source.problem(path, atField(path, message)));
  const servers = contract.servers ?? [];
  const s3 = servers.map((server, index) => ({ server, index })).filter(({ server }) => server.type === 's3');
  const prefix = `s3://landing/${domain}/`;
  const dataset = contract.schema[0]?.name ?? '<dataset>';
  if (s3.length === 0) {
    report(
      ['servers'],
      `deploying needs a server of type s3 saying how files land: add to servers '- server: landing', 'type: s3', ` +
        `'location: ${prefix}${dataset}/' and 'format: csv' (or json with 'delimiter: new_line', or parquet)`,
    );
  }
  for (const extra of s3.slice(1)) {
    report(['servers', extra.index, 'type'], `only one s3 server is read, and servers[${s3[0]!.index}] is one already`);
  }
  for (const { server, index } of s3.slice(0, 1)) {
    if (!server.location!.startsWith(prefix)) {
      report(['servers', index, 'location'], `must start with ${prefix} (the logical landing prefix; real bucket names are derived)`);
    }
    if (server.format === undefined) {
      report(['servers', index], `deploying needs the format files land in: add 'format: csv' (or json with 'delimiter: new_line', or parquet)`);
    }
  }
  return problems;
}
