/**
 * The contract a dataset follows, as a custom dataset facet (`contractLakehouse_contract`: custom
 * facets carry their definer's prefix), under the JSON Schema shipped beside this file.
 */
import type { Dataset } from '../../contracts/model.ts';
import { customFacet, type Facet, publishedFileUrl } from './run-event.ts';

export const CONTRACT_FACET = 'contractLakehouse_contract';

/** Where `ContractDatasetFacet.json` is published: this file's folder, at the version that wrote the event. */
export const CONTRACT_FACET_SCHEMA_URL = `${publishedFileUrl('lib/pipeline/lineage/ContractDatasetFacet.json')}#/$defs/ContractDatasetFacet`;

export function contractFacet(dataset: Pick<Dataset, 'domain' | 'names' | 'contract' | 'owner'>): Facet {
  return customFacet(CONTRACT_FACET_SCHEMA_URL, {
    id: dataset.contract.id,
    version: dataset.contract.version,
    domain: dataset.domain,
    dataset: dataset.names.ref,
    owner: { team: dataset.owner.team, email: dataset.owner.email },
  });
}
