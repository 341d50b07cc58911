import { open } from 'node:fs/promises';
import { unreadable, type ReadFailure } from './read-failure.ts';

const MAGIC = Buffer.from('PAR1');
/** Leading magic, footer length and trailing magic: nothing shorter can be Parquet. */
const SMALLEST_PARQUET_BYTES = MAGIC.length * 2 + 4;

/**
 * Checks the `PAR1` magic at both ends before DuckDB opens the file, so a truncated upload or
 * a CSV renamed to `.parquet` gets a sentence rather than a footer-decoding error.
 */
export async function parquetMagicProblem(file: string): Promise<ReadFailure | undefined> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return unreadable('file is empty');
    const head = Buffer.alloc(MAGIC.length);
    const tail = Buffer.alloc(MAGIC.length);
    await handle.read(head, 0, MAGIC.length, 0);
    await handle.read(tail, 0, MAGIC.length, Math.max(0, size - MAGIC.length));
    if (!head.equals(MAGIC)) return unreadable("file is not Parquet: it does not start with the magic bytes 'PAR1'");
    if (size < SMALLEST_PARQUET_BYTES || !tail.equals(MAGIC)) {
      return unreadable("Parquet file is truncated: it does not end with the magic bytes 'PAR1'");
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
