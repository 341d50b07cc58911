import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { modelPackageGroupName, modelPackageGroupNameProblem } from '../config/names.ts';
import type { LakehouseSettings } from '../config/settings.ts';
import { sortProblems } from '../contracts/load.ts';
import type { Catalog } from '../contracts/model.ts';
import { ContractError, type ContractProblem } from '../contracts/problems.ts';
import { checkStructure } from '../contracts/structural-check.ts';
import { readYamlFile } from '../contracts/yaml-source.ts';
import { checkTransforms } from '../transforms/compile.ts';
import { inferModelColumns } from '../transforms/infer-columns.ts';
import { checkMlSpec, type MlSpecContext, type MlSpecUnderCheck } from './check-spec.ts';
import { mlModelLineageJobProblems, mlModelTableProblems } from './ml-model-tables.ts';
import type { MlModel } from './model.ts';
import { mlSpecSchema, type RawMlSpec } from './spec-schema.ts';

/** Where a domain keeps its ML model specs: `contracts/<domain>/ml/<model>.yaml`. */
export const ML_FOLDER = 'ml';

/** A spec's file name is its model's name: a lowercase snake_case name, as models and datasets have. */
const MODEL_NAME = /^[a-z][a-z0-9_]*$/;

/** What names depend on: the organization and each environment's name. */
export type MlNaming = Pick<LakehouseSettings, 'organization'> & { readonly environments: readonly { readonly name: string }[] };

export interface MlCheckResult {
  /** Present only when there are no problems; empty when no domain has a spec. */
  readonly models?: readonly MlModel[];
  readonly problems: readonly ContractProblem[];
}

interface SpecFile {
  readonly domain: string;
  readonly name: string;
  readonly file: string;
}

/** The spec files of every domain of the catalog, by domain and name; a misnamed file is a problem. */
export function mlSpecFiles(catalog: Catalog, problems: ContractProblem[] = []): SpecFile[] {
  return catalog.domains.flatMap((domain) => {
    const folder = join(catalog.root, domain.name, ML_FOLDER);
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') problems.push({ file: folder, line: 1, column: 1, message: `cannot read folder: ${code ?? (error as Error).message}` });
      return [];
    }
    for (const misnamed of names.filter((name) => name.endsWith('.yml'))) {
      problems.push({ file: join(folder, misnamed), line: 1, column: 1, message: 'ML model specs end in .yaml; this file is not read' });
    }
    return names.filter((name) => name.endsWith('.yaml')).map((name) => ({ domain: domain.name, name: name.slice(0, -'.yaml'.length), file: join(folder, name) }));
  });
}

/**
 * Load and check every ML model spec of the catalog against its compiled transforms. Compiles the
 * transforms only when there is a spec to check (so a catalog without specs costs nothing); their
 * problems are reported too, since a spec cannot be checked against models that do not compile.
 * `readNaming` is called only then too, so a project without specs needs no settings. Never
 * throws for bad input.
 */
export async function checkMlModels(catalog: Catalog, readNaming: () => MlNaming): Promise<MlCheckResult> {
  const problems: ContractProblem[] = [];
  const files = mlSpecFiles(catalog, problems);
  if (files.length === 0) return problems.length === 0 ? { models: [], problems } : { problems };
  const naming = readNaming();

  const specs: MlSpecUnderCheck[] = [];
  const groups = new Map<string, string>();
  for (const { domain, name, file } of files) {
    const parsed = readYamlFile(file);
    if ('problems' in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const namingProblems = nameProblems(domain, name, naming, groups);
    problems.push(...namingProblems.map((message) => ({ file, line: 1, column: 1, message })));
    const structural = checkStructure(parsed.source, mlSpecSchema);
    problems.push(...structural);
    if (structural.length === 0) specs.push({ source: parsed.source, raw: parsed.source.data as RawMlSpec, domain, name });
  }

  const context = await transformsContext(catalog, problems);
  if (context === undefined) return { problems: sortProblems(problems) };
  const models: MlModel[] = [];
  for (const spec of specs) {
    const checked = checkMlSpec(spec, context);
    problems.push(...checked.problems);
    const datasets = catalog.domains.find((domain) => domain.name === spec.domain)?.datasets ?? [];
    const names = { file: spec.source.file, domain: spec.domain, name: spec.name };
    problems.push(...mlModelTableProblems(names, context.dag, datasets), ...mlModelLineageJobProblems(names, context.dag, datasets));
    if (checked.model !== undefined) models.push(checked.model);
  }
  return problems.length > 0 ? { problems: sortProblems(problems) } : { models, problems: [] };
}

/** The compiled models and their inferred columns, or undefined with their problems added. */
async function transformsContext(catalog: Catalog, problems: ContractProblem[]): Promise<MlSpecContext | undefined> {
  const transforms = checkTransforms(catalog);
  if (transforms.dag === undefined) {
    problems.push(...transforms.problems);
    return undefined;
  }
  try {
    return { dag: transforms.dag, columns: await inferModelColumns(transforms.dag), domains: catalog.domains };
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/** Like `checkMlModels`, but throws a `ContractError` carrying every problem. */
export async function loadMlModels(catalog: Catalog, readNaming: () => MlNaming): Promise<readonly MlModel[]> {
  const result = await checkMlModels(catalog, readNaming);
  if (result.models === undefined) throw new ContractError(result.problems);
  return result.models;
}

/**
 * The model's name as a file name and as the Model Package Group name of each environment, which
 * must also differ from every other model's (SageMaker has one namespace per account and region,
 * and underscores become hyphens there, so `a_b/c` and `a/b_c` would collide). Environments differ
 * only in the group name's prefix, so a collision is reported once, in the first environment's name.
 */
function nameProblems(domain: string, name: string, naming: MlNaming, groups: Map<string, string>): string[] {
  if (!MODEL_NAME.test(name)) return [`'${name}' is not a model name: name the file in lowercase snake_case (a-z, 0-9 and _, starting with a letter)`];
  const id = `${domain}/${name}`;
  const identities = naming.environments.map((environment) => ({ organization: naming.organization, environment: environment.name }));
  const problems = identities.flatMap((identity) => {
    const problem = modelPackageGroupNameProblem(identity, domain, name);
    return problem === undefined ? [] : [`ML model '${id}' in environment '${identity.environment}': ${problem}`];
  });
  if (problems.length > 0 || identities.length === 0) return problems;
  const group = modelPackageGroupName(identities[0]!, domain, name);
  const taken = groups.get(group);
  if (taken !== undefined) return [`ML model '${id}' would share the Model Package Group '${group}' with '${taken}': rename one of them`];
  groups.set(group, id);
  return [];
}
