import type { RawContract } from './raw-contract.ts';
import type { YamlSource } from './yaml-source.ts';

/** A structurally valid contract and where it was read from: the input of every semantic check. */
export interface ContractUnderCheck {
  readonly source: YamlSource;
  readonly contract: RawContract;
  /** The folder name: the domain every dataset of this contract belongs to. */
  readonly domain: string;
}
