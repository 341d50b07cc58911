import { fileURLToPath } from 'node:url';
import { loadContractFile } from '../lib/contracts/load.ts';
import type { Dataset } from '../lib/contracts/model.ts';
import type { BenchFormat } from './orders-data.ts';

export const BENCH_CONTRACT = fileURLToPath(new URL('./contracts/bench/orders.yaml', import.meta.url));

/**
 * The benchmark contract's one dataset, declaring the format to read: the contract names CSV,
 * and the Parquet runs check the same rules, so the format is swapped here rather than kept
 * in a second contract that could drift from the first.
 */
export function benchDataset(format: BenchFormat): Dataset {
  const [dataset, ...others] = loadContractFile(BENCH_CONTRACT).datasets;
  if (dataset === undefined || others.length > 0) throw new Error(`${BENCH_CONTRACT} must hold exactly one dataset`);
  return { ...dataset, format };
}
