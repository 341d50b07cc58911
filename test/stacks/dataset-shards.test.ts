import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datasetShard, fnv1a32, groupByShard } from '../../lib/stacks/dataset-shards.ts';

const datasetName = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/);

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('dataset shards', () => {
  it('rejects a shard count below 1', () => {
    expect(() => datasetShard('orders', 0)).toThrow(/at least 1/);
    expect(() => datasetShard('orders', 1.5)).toThrow(/at least 1/);
  });

  it('keeps every existing dataset in its stack when a dataset is added or removed', () => {
    fc.assert(
      fc.property(fc.uniqueArray(datasetName, { maxLength: 40 }), datasetName, fc.integer({ min: 1, max: 8 }), (names, added, count) => {
        const shardOf = (groups: Map<number, { name: string }[]>): Map<string, number> =>
          new Map([...groups].flatMap(([shard, members]) => members.map((member) => [member.name, shard] as const)));
        const before = shardOf(groupByShard(names.map((name) => ({ name })), count));
        const withAdded = shardOf(groupByShard([...names, added].map((name) => ({ name })), count));
        const withoutFirst = shardOf(groupByShard(names.slice(1).map((name) => ({ name })), count));
        for (const name of names) expect(withAdded.get(name)).toBe(before.get(name));
        for (const name of names.slice(1)) expect(withoutFirst.get(name)).toBe(before.get(name));
      }),
    );
  });

  it('creates groups only for shards holding datasets, in shard order, every shard in range', () => {
    fc.assert(
      fc.property(fc.uniqueArray(datasetName, { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (names, count) => {
        const groups = groupByShard(names.map((name) => ({ name })), count);
        const shards = [...groups.keys()];
        expect(shards).toEqual([...shards].sort((a, b) => a - b));
        for (const [shard, members] of groups) {
          expect(shard).toBeGreaterThanOrEqual(0);
          expect(shard).toBeLessThan(count);
          expect(members.length).toBeGreaterThan(0);
        }
        expect([...groups.values()].flat().map((member) => member.name).sort()).toEqual([...names].sort());
      }),
    );
  });
});
