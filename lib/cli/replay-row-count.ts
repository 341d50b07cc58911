/** A table's row count on each side of running a delivery again. */
export interface ReplayRowCounts {
  /** The delivery run again, as the user names it. */
  readonly file: string;
  readonly table: string;
  readonly before: number;
  readonly after: number;
}

/**
 * Why a replay broke idempotence, or nothing when it held: running a delivery again must leave
 * its table's row count as it was, since a changed count means rows duplicated or lost.
 */
export function replayRowCountProblem({ file, table, before, after }: ReplayRowCounts): string | undefined {
  if (after === before) return undefined;
  const rows = (count: number) => `${count} row${count === 1 ? '' : 's'}`;
  const change = after > before ? `${rows(after - before)} more` : `${rows(before - after)} fewer`;
  return `running ${file} again changed the rows in ${table} from ${before} to ${after} (${change}): a replay must load nothing twice and lose nothing`;
}
