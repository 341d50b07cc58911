import { MODEL_SELECTION_FIELD } from '../pipeline/build-states.ts';
import { outcomeKey } from './build-plan.ts';
import type { TransformDag } from './model.ts';
import { selectModels } from './select-models.ts';

/** The execution input of a domain's build that runs exactly the models it names (see `MODEL_SELECTION_FIELD`). */
export interface BuildSelectionInput {
  readonly [MODEL_SELECTION_FIELD]: Readonly<Record<string, true>>;
}

/**
 * A dbt selector (`selectModels`) as the input of each domain's build: only domains with a
 * selected model get one, keyed by domain in DAG order of their first selected model. A model the
 * selection leaves out is `not-selected`, and models reading it read its published table as it is.
 * Throws `SelectorError` for a selector that names no model.
 */
export function buildSelectionInputs(dag: TransformDag, selector: string): Map<string, BuildSelectionInput> {
  const byId = new Map(dag.models.map((model) => [model.id, model]));
  const inputs = new Map<string, Record<string, true>>();
  for (const id of selectModels(dag, selector)) {
    const model = byId.get(id)!;
    const selection = inputs.get(model.domain) ?? {};
    selection[outcomeKey(model)] = true;
    inputs.set(model.domain, selection);
  }
  return new Map([...inputs].map(([domain, selection]) => [domain, { [MODEL_SELECTION_FIELD]: selection }]));
}
