import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean } from '../contracts/did-you-mean.ts';
import type { Catalog, Domain } from '../contracts/model.ts';
import { ContractError, type ContractProblem } from '../contracts/problems.ts';
import { orderModels } from './dag-order.ts';
import type { DagEdge, ModelSource, RefCall, RefTarget, TransformDag, TransformModel } from './model.ts';
import { parseModelFile } from './parse-model-file.ts';

/** Where a domain keeps its models: `contracts/<domain>/transforms/`. */
export const TRANSFORMS_FOLDER = 'transforms';

export interface TransformCheck {
  /** Present only when there are no problems. */
  readonly dag?: TransformDag;
  readonly problems: readonly ContractProblem[];
}

/** Every domain's models as one DAG; throws `ContractError` with every problem (file:line:column). */
export function compileTransforms(catalog: Catalog): TransformDag {
  const result = checkTransforms(catalog);
  if (result.dag === undefined) throw new ContractError(result.problems);
  return result.dag;
}

/** Like `compileTransforms`, but returns the problems instead of throwing. */
export function checkTransforms(catalog: Catalog): TransformCheck {
  const problems: ContractProblem[] = [];
  const sources: ModelSource[] = [];
  for (const domain of catalog.domains) {
    for (const file of modelFiles(join(catalog.root, domain.name, TRANSFORMS_FOLDER), problems)) {
      const parsed = parseModelFile(file, readFileSync(file, 'utf8'), domain.name, domain.owner);
      if ('model' in parsed) sources.push(parsed.model);
      else problems.push(...parsed.problems);
    }
  }
  const resolver = new RefResolver(catalog, sources);
  for (const source of sources) problems.push(...resolver.nameClash(source));
  const models = sources.map((source): TransformModel => {
    const resolved = new Map<string, RefTarget>();
    for (const call of source.refs) {
      const target = resolver.resolve(source, call, problems);
      if (target !== undefined) resolved.set(call.name, target);
    }
    const upstream = [...new Set([...resolved.values()].filter((target) => target.kind === 'model').map((target) => target.id))];
    return { ...source, resolved, upstream };
  });
  if (problems.length > 0) return { problems };
  const ordered = orderModels(models);
  if ('cycle' in ordered) return { problems: [ordered.cycle] };
  const edges: DagEdge[] = ordered.models.flatMap((model) =>
    [...new Set([...model.resolved.values()].map((target) => target.id))].map((from) => ({ from, to: model.id })),
  );
  return { dag: { models: ordered.models, edges, order: ordered.models.map((model) => model.id) }, problems: [] };
}

function modelFiles(folder: string, problems: ContractProblem[]): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push({ file: folder, line: 1, column: 1, message: `cannot read folder: ${code ?? (error as Error).message}` });
    return [];
  }
  return names.filter((name) => name.endsWith('.sql')).sort().map((name) => join(folder, name));
}

/** dbt's lookup: a name alone is a model or dataset of the model's own domain; `<domain>/<name>` crosses only into what that domain shares. */
class RefResolver {
  private readonly domains: ReadonlyMap<string, Domain>;
  private readonly models: ReadonlyMap<string, ModelSource>;

  constructor(catalog: Catalog, sources: readonly ModelSource[]) {
    this.domains = new Map(catalog.domains.map((domain) => [domain.name, domain]));
    this.models = new Map(sources.map((source) => [source.id, source]));
  }

  /** A model whose table would take the name of a silver table in the same database. */
  nameClash(source: ModelSource): ContractProblem[] {
    const dataset = this.domains.get(source.domain)?.datasets.find((candidate) => candidate.names.table === source.name || candidate.name === source.name);
    if (dataset === undefined) return [];
    return [{ ...source.position, message: `model '${source.id}' has the name of dataset '${dataset.names.ref}' (${dataset.contract.file}): rename the model` }];
  }

  resolve(source: ModelSource, call: RefCall, problems: ContractProblem[]): RefTarget | undefined {
    const fail = (message: string): undefined => {
      problems.push({ ...call.position, message });
      return undefined;
    };
    const parts = call.name.split('/');
    if (parts.length > 2 || parts.some((part) => part === '')) return fail(`ref('${call.name}') must name '<name>' or '<domain>/<name>'`);
    const [domainName, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [source.domain, parts[0]!];
    const domain = this.domains.get(domainName);
    if (domain === undefined) return fail(`ref('${call.name}'): there is no domain '${domainName}'${didYouMean(domainName, [...this.domains.keys()])}`);
    const target = this.target(domain, name);
    if (target === undefined) {
      const known = [...this.namesIn(domain), ...(domainName === source.domain ? this.crossDomainNames(source.domain) : [])];
      return fail(`ref('${call.name}'): no model or dataset '${name}' in domain '${domainName}'${didYouMean(parts.length === 2 ? call.name : name, known)}`);
    }
    if (target.id === source.id) return fail(`ref('${call.name}'): a model cannot read itself; use {{ this }} for its own table`);
    if (domainName !== source.domain && !domain.shares.includes(name)) {
      return fail(`ref('${call.name}'): domain '${domainName}' does not share '${name}' (add it to shares in ${domain.file} to allow this)`);
    }
    return target;
  }

  private target(domain: Domain, name: string): RefTarget | undefined {
    const model = this.models.get(`${domain.name}/${name}`);
    if (model !== undefined) return { kind: 'model', id: model.id, domain: domain.name, table: model.name };
    const dataset = domain.datasets.find((candidate) => candidate.name === name);
    if (dataset === undefined) return undefined;
    return { kind: 'dataset', id: dataset.names.ref, domain: domain.name, table: dataset.names.table, dataset };
  }

  private namesIn(domain: Domain): string[] {
    return [
      ...domain.datasets.map((dataset) => dataset.name),
      ...[...this.models.values()].filter((model) => model.domain === domain.name).map((model) => model.name),
    ];
  }

  private crossDomainNames(own: string): string[] {
    return [...this.domains.values()].filter((domain) => domain.name !== own).flatMap((domain) => this.namesIn(domain).map((name) => `${domain.name}/${name}`));
  }
}
