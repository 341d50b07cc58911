/**
 * Which of a domain's dataset stacks holds a dataset. The choice depends on the dataset's own
 * name only, so adding or removing a dataset never moves another one (CloudFormation cannot move
 * a retained table between stacks). Changing the shard count does move datasets: fix it early.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-8 bytes of `text`: stable across runs, platforms and Node versions. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  }
  return hash;
}

export function datasetShard(datasetName: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new RangeError(`The shard count must be a whole number of at least 1, got ${shardCount}`);
  }
  return fnv1a32(datasetName) % shardCount;
}

/** Datasets grouped by shard, in ascending shard order; only shards holding a dataset appear. */
export function groupByShard<T extends { readonly name: string }>(
  datasets: readonly T[],
  shardCount: number,
): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const dataset of datasets) {
    const shard = datasetShard(dataset.name, shardCount);
    groups.set(shard, [...(groups.get(shard) ?? []), dataset]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a - b));
}
