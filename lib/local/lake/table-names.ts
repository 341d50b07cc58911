import { LakeError } from './lake-errors.ts';
import type { TableName } from './snapshot.ts';

/**
 * Athena's rule for database and table names. It also keeps a name a single safe folder name
 * and leaves `$` and `@` free for the metadata and time-travel views (`orders$snapshots`, `orders@<id>`).
 */
const ATHENA_NAME = /^[a-z0-9_]{1,255}$/;

export function isAthenaName(name: string): boolean {
  return ATHENA_NAME.test(name);
}

export function checkTableName(name: TableName): void {
  for (const [kind, value] of [
    ['database', name.database],
    ['table', name.table],
  ] as const) {
    if (!isAthenaName(value)) {
      throw new LakeError(
        `${kind} name '${value}' is not an Athena name: use 1 to 255 lowercase letters, digits and underscores`,
      );
    }
  }
}

/** `<database>.<table>`: how messages and `attachLake`'s `asOf` keys name a table. */
export function qualifiedName(name: TableName): string {
  return `${name.database}.${name.table}`;
}
