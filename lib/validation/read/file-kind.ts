import { basename, extname } from 'node:path';
import type { FileFormat } from '../../contracts/model.ts';

/** What the file name says about its contents. */
export interface FileKind {
  readonly format: FileFormat;
  readonly gzip: boolean;
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.json': 'json',
  '.parquet': 'parquet',
};

export const KNOWN_EXTENSIONS = '.csv, .jsonl, .ndjson, .json (each optionally .gz) or .parquet';

/** The format and compression the file's extension names, or undefined for an extension we do not read. */
export function fileKindOf(file: string): FileKind | undefined {
  const name = basename(file).toLowerCase();
  const gzip = name.endsWith('.gz');
  const format = FORMAT_BY_EXTENSION[extname(gzip ? name.slice(0, -'.gz'.length) : name)];
  // Parquet compresses its own pages; a gzipped Parquet file is not something writers produce.
  if (format === undefined || (gzip && format === 'parquet')) return undefined;
  return { format, gzip };
}
