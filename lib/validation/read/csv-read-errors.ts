import type { DuckDbErrorDetails } from './duckdb-errors.ts';
import { unreadable, type ReadFailure } from './read-failure.ts';

const FIELD_COUNT = /Expected Number of Columns: (\d+) Found: (\d+)/;
const LINE_TOO_LONG = /Maximum line size of (\d+) bytes exceeded\. Actual Size: ?(\d+) bytes/;

/** Turns a `read_csv` error into the sentence a user can act on, keeping DuckDB's line number. */
export function csvReadFailure(details: DuckDbErrorDetails): ReadFailure {
  const { reason, line } = details;
  const where = line === undefined ? 'a line' : `line ${line}`;
  const fieldCount = FIELD_COUNT.exec(reason);
  if (fieldCount !== null) return unreadable(`${where} has ${fieldCount[2]} fields; expected ${fieldCount[1]}`, line);
  const tooLong = LINE_TOO_LONG.exec(reason);
  if (tooLong !== null) return unreadable(`${where} is ${tooLong[2]} bytes long, more than the limit of ${tooLong[1]} bytes`, line);
  if (reason.includes('unterminated quote')) return unreadable(`${where} has a quoted value that is never closed`, line);
  if (reason.includes('Invalid unicode')) return unreadable(`${where} is not valid UTF-8`, line);
  return unreadable(line === undefined ? reason : `line ${line}: ${reason}`, line);
}
