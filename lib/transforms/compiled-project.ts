import { glueDatabaseName, type EnvironmentIdentity } from '../config/names.ts';
import type { Catalog } from '../contracts/model.ts';
import type { LakeColumn } from '../pipeline/lake-write.ts';
import { compileTransforms } from './compile.ts';
import { inferModelColumns } from './infer-columns.ts';
import type { TransformDag } from './model.ts';
import type { Placement } from './render.ts';

/** Everything a command or construct needs to run models in one environment. */
export interface CompiledTransforms {
  readonly dag: TransformDag;
  readonly columns: ReadonlyMap<string, readonly LakeColumn[]>;
  readonly placement: Placement;
}

/** Compiles and checks every model of the catalog for one environment; throws `ContractError`. */
export async function compileForEnvironment(catalog: Catalog, identity: EnvironmentIdentity): Promise<CompiledTransforms> {
  const dag = compileTransforms(catalog);
  const columns = await inferModelColumns(dag);
  return { dag, columns, placement: { database: (domain) => glueDatabaseName(identity, domain) } };
}
