import { readdirSync, type Dirent } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildDatasets, contractInfo } from './build-dataset.ts';
import { buildDomainConfig } from './build-domain.ts';
import { checkContract } from './check-contract.ts';
import { checkDatasetNames } from './check-dataset-names.ts';
import { ContractFiles, DOMAIN_FILE } from './contract-files.ts';
import type { ContractUnderCheck } from './contract-under-check.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Catalog, Dataset, Domain } from './model.ts';
import { ContractError, splitBySeverity, type ContractProblem } from './problems.ts';

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

/**
 * Load one contract file with its folder's domain.yaml (for `lakehouse validate --contract <file>`).
 * The returned domain lists only this contract's datasets. Throws `ContractError` on errors;
 * warnings are returned, sorted.
 */
export function loadContractFile(file: string): {
  readonly domain: Domain;
  readonly datasets: readonly Dataset[];
  readonly warnings: readonly ContractProblem[];
} {
  const folder = dirname(file);
  const files = new ContractFiles();
  const problems: ContractProblem[] = [];
  const domainFile = files.domainFile(folder);
  if (domainFile === undefined) problems.push(missingDomainFile(folder, file));
  else problems.push(...domainFile.problems);
  const loaded = files.contractFile(file);
  problems.push(...loaded.problems);
  if (loaded.raw !== undefined) {
    const under = { source: loaded.source!, contract: loaded.raw, domain: basename(folder) };
    problems.push(...checkContract(under, files), ...checkDatasetNames([under]));
  }
  const { errors, warnings } = splitBySeverity(sortProblems(problems));
  if (errors.length > 0) throw new ContractError(errors);

  const under: ContractUnderCheck = { source: loaded.source!, contract: loaded.raw!, domain: basename(folder) };
  const config = buildDomainConfig(domainFile!.raw!, domainFile!.file);
  const datasets = buildDatasets(under, config.owner, files).sort(byName);
  return { domain: { ...config, contracts: [contractInfo(under)], datasets }, datasets, warnings };
}

function selectedDomains(root: string, options: LoadOptions, problems: ContractProblem[]): string[] {
  const entries = listFolder(root, problems);
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
  const yamlFiles = listFolder(folder, problems)
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  for (const misnamed of yamlFiles.filter((file) => file.endsWith('.yml'))) {
    problems.push({ file: join(folder, misnamed), line: 1, column: 1, message: 'contract files end in .yaml; this file is not read' });
  }
  const contractFiles = yamlFiles.filter((file) => file.endsWith('.yaml') && file !== DOMAIN_FILE).map((file) => join(folder, file));

  const domainFile = files.domainFile(folder);
  if (domainFile === undefined) problems.push(missingDomainFile(folder, contractFiles[0] ?? folder));
  else problems.push(...domainFile.problems);

  const contracts: ContractUnderCheck[] = [];
  for (const file of contractFiles) {
    const loaded = files.contractFile(file);
    problems.push(...loaded.problems);
    if (loaded.raw === undefined) continue;
    const under = { source: loaded.source!, contract: loaded.raw, domain: name };
    problems.push(...checkContract(under, files));
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
    message: `${join(folder, DOMAIN_FILE)} is missing: every domain folder needs one (owner, alerts, shares)`,
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
