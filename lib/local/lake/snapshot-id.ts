import { randomInt } from 'node:crypto';

/** `randomInt` draws below 2^48, so the 53 bits come in two parts. */
const HIGH_BITS = 2 ** 21;
const LOW_BITS = 2 ** 32;

/**
 * A random positive snapshot id below 2^53, like Iceberg's random 64-bit ids but exact as a
 * JavaScript number and in JSON.
 */
export function newSnapshotId(): number {
  for (;;) {
    const id = randomInt(HIGH_BITS) * LOW_BITS + randomInt(LOW_BITS);
    if (id > 0) return id;
  }
}
