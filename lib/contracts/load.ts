import { readdirSync, type Dirent } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { buildDatasets, contractInfo } from './build-dataset.ts';
import { buildDomainConfig, DEFAULT_MAINTENANCE_SCHEDULE } from './build-domain.ts';
import { checkContract } from './check-contract.ts';
import { checkDatasetNames } from './check-dataset-names.ts';
import { checkDeployment, checkDomainField } from './check-deployment.ts';
import { ContractFiles, DOMAIN_FILE } from './contract-files.ts';
import { asYamlFileName, isContractFileName, isJsonFileName, mayBeContractFileName, MISNAMED_DOMAIN_FILE } from './contract-file-name.ts';
import { contractOwner } from './contract-owner.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Catalog, Dataset, Domain, DomainConfig, FileFormat } from './model.ts';
import { ContractError, splitBySeverity, type ContractProblem } from './problems.ts';
import { readingServer } from './reading-server.ts';
import { standaloneDomainName } from './standalone-domain.ts';

export interface LoadOptions {
  /** Only load these domain folders; a name without a folder is a problem. */
  readonly domains?: readonly string[];
}

export interface CheckResult {
  /** Present only when there are no problems. */
  readonly catalog?: Catalog;
  /** Every error in every file, sorted by file, line and column. */
  readonly problems: readonly ContractProblem[];
  /** Every warning (reported even beside errors): the catalog is built despite them. Sorted. */
  readonly warnings: readonly ContractProblem[];
}

/**
 * Load and check `<root>/<domain>/domain.yaml` and the contracts beside it. Never throws for bad
 * input: every problem is collected. File paths are as joined to `root` (relative stays relative).
 */
export function checkCatalog(root: string, options: LoadOptions = {}): CheckResult {
  const files = new ContractFiles();
  const found: ContractProblem[] = [];
  const checked = selectedDomains(root, options, found).map((name) => checkDomainFolder(root, name, files, found));
  const { errors, warnings } = splitBySeverity(sortProblems(found));
  if (errors.length > 0) return { problems: errors, warnings };

  const domains = checked.map(({ name, contracts }): Domain => {
    const folder = join(root, name);
    const config = buildDomainConfig(files.domainFile(folder)!.raw!, join(folder, DOMAIN_FILE));
    return {
      ...config,
      contracts: contracts.map(contractInfo),
      datasets: contracts.flatMap((under) => buildDatasets(under, config.owner, files)).sort(byName),
    };
  });
  return { catalog: { root, domains }, problems: [], warnings };
}

/** Like `checkCatalog`, but throws a `ContractError` carrying every problem. */
export function loadCatalog(root: string, options?: LoadOptions): Catalog {
  const result = checkCatalog(root, options);
  if (result.catalog === undefined) throw new ContractError(result.problems);
  return result.catalog;
}

export interface ContractFileCheck {
  /** Every error, sorted by line and column. */
  readonly problems: readonly ContractProblem[];
  /** Every warning, sorted. */
  readonly warnings: readonly ContractProblem[];
}

/**
 * Check one contract file for validating data with it, wherever it is (`lakehouse validate
 * --contract <file>`). With a domain.yaml beside it, its folder is its domain, as under `contracts
 * check`; without one, standaloneDomainName says which. What only
 * deploying needs (checkDeployment: the s3 landing server, the domain folder) is not asked.
 * Never throws for bad input.
 */
export function checkContractFile(file: string): ContractFileCheck {
  const { problems, warnings } = examineContractFile(file);
  return { problems, warnings };
}

export interface ContractFileOptions {
  /**
   * The format of the data file to read (from its extension), used when no s3 server of the
   * contract names one. Without either, the contract is refused: nothing says how to read files.
   */
  readonly fileFormat?: FileFormat;
}

/**
 * Load one contract file as `checkContractFile` checks it, for reading data with it: the domain
 * lists only this contract's datasets, and without a domain.yaml its owner is the contract's
 * `team`. Throws a `ContractError` carrying every error; warnings are returned, sorted.
 */
export function loadContractFile(
  file: string,
  options: ContractFileOptions = {},
): { readonly domain: Domain; readonly datasets: readonly Dataset[]; readonly warnings: readonly ContractProblem[] } {
  const { under, domainFile, files, problems, warnings } = examineContractFile(file);
  const format = under === undefined ? undefined : (readingServer(under.contract)?.server.format ?? options.fileFormat);
  if (under !== undefined && format === undefined) {
    const message =
      "servers: nothing says how to read the data files: add 'format: csv' (or json, parquet) to a server of type s3, or give the data file a .csv, .jsonl or .parquet name";
    throw new ContractError(sortProblems([...problems, under.source.problem(['servers'], message)]));
  }
  if (under === undefined || problems.length > 0) throw new ContractError(problems);

  const config = domainFile === undefined ? standaloneDomain(under) : buildDomainConfig(domainFile.raw!, domainFile.file);
  const datasets = buildDatasets(under, config.owner, files, format).sort(byName);
  return { domain: { ...config, contracts: [contractInfo(under)], datasets }, datasets, warnings };
}

function examineContractFile(file: string) {
  const folder = dirname(file);
  const files = new ContractFiles();
  const found: ContractProblem[] = [];
  const domainFile = files.domainFile(folder);
  if (domainFile !== undefined) found.push(...domainFile.problems);
  const loaded = files.contractFile(file);
  found.push(...loaded.problems);
  const domain = domainFile === undefined ? standaloneDomainName(loaded.raw ?? {}, file) : basename(resolve(folder));
  const under: ContractUnderCheck | undefined = loaded.raw === undefined ? undefined : { source: loaded.source!, contract: loaded.raw, domain };
  if (under !== undefined) {
    found.push(...checkContract(under, files), ...checkDatasetNames([under]));
    if (domainFile !== undefined) found.push(...checkDomainField(under));
  }
  const { errors, warnings } = splitBySeverity(sortProblems(found));
  return { under, domainFile, files, problems: errors, warnings };
}

/**
 * A contract with no domain.yaml beside it stands for its domain. Validating a file needs no
 * alert addresses, consumers or shares, so it has none; the owner is the contract's team, else
 * a team named after the domain with no address.
 */
function standaloneDomain(under: ContractUnderCheck): DomainConfig {
  return {
    name: under.domain,
    file: under.source.file,
    owner: contractOwner(under.contract.team, { team: under.domain, email: '' }),
    alertEmails: [],
    consumers: [],
    shares: [],
    maintenanceSchedule: DEFAULT_MAINTENANCE_SCHEDULE,
  };
}

function selectedDomains(root: string, options: LoadOptions, problems: ContractProblem[]): string[] {
  const entries = listFolder(root, problems);
  for (const stray of entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.') && mayBeContractFileName(entry.name))) {
    const message = `not read: contracts are read from domain folders; move it to ${join(root, '<domain>', stray.name)}, beside that folder's ${DOMAIN_FILE}`;
    problems.push({ file: join(root, stray.name), line: 1, column: 1, message, severity: 'warning' });
  }
  const folders = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
  if (options.domains === undefined) return folders;
  for (const name of options.domains) {
    if (!folders.includes(name)) {
      problems.push({ file: join(root, name), line: 1, column: 1, message: `there is no domain folder '${name}' in ${root}${didYouMean(name, folders)}` });
    }
  }
  return folders.filter((name) => options.domains!.includes(name));
}

function checkDomainFolder(root: string, name: string, files: ContractFiles, problems: ContractProblem[]) {
  const folder = join(root, name);
  const names = listFolder(folder, problems)
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  if (names.includes(MISNAMED_DOMAIN_FILE)) {
    const message = `the domain file is named ${DOMAIN_FILE}; rename this file, which is not read`;
    problems.push({ file: join(folder, MISNAMED_DOMAIN_FILE), line: 1, column: 1, message });
  }
  for (const json of names.filter(isJsonFileName)) {
    const message = `not read: contracts are read from .yaml and .yml files; if this is one (JSON is YAML), rename it ${asYamlFileName(json)}`;
    problems.push({ file: join(folder, json), line: 1, column: 1, message, severity: 'warning' });
  }
  const contractFiles = names.filter(isContractFileName).map((file) => join(folder, file));

  const domainFile = files.domainFile(folder);
  if (domainFile === undefined) problems.push(missingDomainFile(folder, contractFiles[0] ?? folder));
  else problems.push(...domainFile.problems);

  const contracts: ContractUnderCheck[] = [];
  for (const file of contractFiles) {
    const loaded = files.contractFile(file);
    problems.push(...loaded.problems);
    if (loaded.raw === undefined) continue;
    const under = { source: loaded.source!, contract: loaded.raw, domain: name };
    problems.push(...checkContract(under, files), ...checkDeployment(under));
    contracts.push(under);
  }
  problems.push(...checkDatasetNames(contracts));
  return { name, contracts };
}

function missingDomainFile(folder: string, at: string): ContractProblem {
  return {
    file: at,
    line: 1,
    column: 1,
    message:
      `${join(folder, DOMAIN_FILE)} is missing: every domain folder needs one for deploying; ` +
      `add it with 'domain: ${basename(folder)}', 'owner' (team, email) and 'alerts' (emails)`,
  };
}

function listFolder(folder: string, problems: ContractProblem[]): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    problems.push({ file: folder, line: 1, column: 1, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    return [];
  }
}

function byName(a: Dataset, b: Dataset): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** In file, line and column order: how every checker reports. */
export function sortProblems(problems: readonly ContractProblem[]): ContractProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
