import { existsSync } from 'node:fs';
import { basename, join, normalize } from 'node:path';
import { checkStructure } from './structural-check.ts';
import { contractSchema } from './contract-schema.ts';
import { domainSchema } from './domain-schema.ts';
import { atField } from './field-path.ts';
import type { ContractProblem } from './problems.ts';
import type { RawContract, RawDomainFile } from './raw-contract.ts';
import type { ReferenceLookup } from './references.ts';
import { readYamlFile, type YamlSource } from './yaml-source.ts';

export const DOMAIN_FILE = 'domain.yaml';

/** A file read, parsed and checked against its JSON Schema. */
export interface LoadedFile<Raw> {
  readonly file: string;
  /** Absent when the YAML itself is broken. */
  readonly source?: YamlSource;
  /** Present only when the file parsed and matched its schema, so semantic checks can rely on its shape. */
  readonly raw?: Raw;
  readonly problems: readonly ContractProblem[];
}

/**
 * Contract and domain files, each read and structurally checked once however often it is
 * referenced. Also answers reference lookups into files outside the domains being loaded.
 */
export class ContractFiles implements ReferenceLookup {
  private readonly contracts = new Map<string, LoadedFile<RawContract>>();
  private readonly domains = new Map<string, LoadedFile<RawDomainFile> | undefined>();

  contractFile(file: string): LoadedFile<RawContract> {
    const key = normalize(file);
    let loaded = this.contracts.get(key);
    if (loaded === undefined) {
      loaded = readChecked<RawContract>(file, (source) => checkStructure(source, contractSchema));
      this.contracts.set(key, loaded);
    }
    return loaded;
  }

  /** The folder's domain.yaml, or undefined when the folder has none. */
  domainFile(folder: string): LoadedFile<RawDomainFile> | undefined {
    const key = normalize(folder);
    if (!this.domains.has(key)) {
      const file = join(folder, DOMAIN_FILE);
      this.domains.set(key, existsSync(file) ? readChecked<RawDomainFile>(file, (source) => checkDomainFile(source, basename(key))) : undefined);
    }
    return this.domains.get(key);
  }

  contract(file: string): RawContract | 'invalid' | undefined {
    if (!existsSync(file)) return undefined;
    return this.contractFile(file).raw ?? 'invalid';
  }

  shares(domainFolder: string): readonly string[] | 'invalid' | undefined {
    const loaded = this.domainFile(domainFolder);
    if (loaded === undefined) return undefined;
    return loaded.raw === undefined ? 'invalid' : (loaded.raw.shares ?? []);
  }
}

function readChecked<Raw>(file: string, check: (source: YamlSource) => ContractProblem[]): LoadedFile<Raw> {
  const parsed = readYamlFile(file);
  if ('problems' in parsed) return { file, problems: parsed.problems };
  const problems = check(parsed.source);
  return problems.length === 0
    ? { file, source: parsed.source, raw: parsed.source.data as Raw, problems }
    : { file, source: parsed.source, problems };
}

function checkDomainFile(source: YamlSource, folderName: string): ContractProblem[] {
  const problems = checkStructure(source, domainSchema);
  const declared = (source.data as { domain?: unknown } | null)?.domain;
  if (typeof declared === 'string' && declared !== folderName) {
    problems.push(source.problem(['domain'], atField(['domain'], `'${declared}' must equal the folder name '${folderName}'`)));
  }
  return problems;
}
