import { basename, dirname, resolve } from 'node:path';
import { lakehouseNameOf } from './lakehouse-name.ts';
import type { RawContract } from './raw-contract.ts';

/**
 * The domain of a contract read on its own, with no domain.yaml beside it: its `domain` field,
 * else the name of its folder, in lakehouse form like every other name (`Customer Analytics` ->
 * `customer_analytics`), so `<domain>/<dataset>` reads as it would once deployed. A name with
 * nothing to derive from is kept as written: validating a file needs no lakehouse name.
 */
export function standaloneDomainName(contract: Pick<RawContract, 'domain'>, file: string): string {
  const written = contract.domain ?? basename(resolve(dirname(file)));
  return lakehouseNameOf(written) ?? written;
}
