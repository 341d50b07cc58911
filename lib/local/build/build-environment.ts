import type { EnvironmentIdentity } from '../../config/names.ts';
import type { Catalog } from '../../contracts/model.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import { buildModels, type ModelOutcome } from './build-models.ts';
import { compileForEnvironment } from '../../transforms/compiled-project.ts';
import { selectModels } from '../../transforms/select-models.ts';

export interface BuildEnvironmentOptions {
  readonly catalog: Catalog;
  readonly identity: EnvironmentIdentity;
  readonly lake: LocalLake;
  /** dbt-style selector (`<domain>/<model>`, `+<model>`, `<model>+`). @default every model */
  readonly selector?: string;
}

/**
 * Compiles every model of the catalog for one environment and builds the selected ones on the
 * local lake in DAG order, with write-audit-publish. Throws `ContractError` for bad models and
 * `SelectorError` for a selector that names no model.
 */
export async function buildEnvironmentModels(options: BuildEnvironmentOptions): Promise<ModelOutcome[]> {
  const compiled = await compileForEnvironment(options.catalog, options.identity);
  const select = selectModels(compiled.dag, options.selector);
  return buildModels({ lake: options.lake, ...compiled, select });
}
