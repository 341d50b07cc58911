/**
 * What the local lake tells about one table without reading its data: manifests and a listing of
 * its data folder. Taken before and after a maintenance run, the difference is what the run did
 * (rows its retention deleted, files its compaction merged, snapshots and files its expiry and
 * orphan removal took), which the Athena Tasks' responses do not say.
 */
import { readdirSync } from 'node:fs';
import type { LocalLake } from '../lake/local-lake.ts';
import { dataDirectory } from '../lake/table-layout.ts';

export interface TableFigures {
  /** Retained snapshots, the current one included. */
  readonly snapshots: number;
  /** Rows of the current snapshot. */
  readonly rows: number;
  /** Data files the current snapshot reads. */
  readonly dataFiles: number;
  /** Data files on disk that no retained snapshot references: left by a killed writer, removed by maintenance once old enough. */
  readonly unreferencedFiles: number;
}

function dataFileNames(lake: LocalLake, database: string, table: string): string[] {
  try {
    return readdirSync(dataDirectory(lake.tableDirectory(database, table))).map((name) => `data/${name}`);
  } catch (error) {
    // A table that never stored a row has no data folder.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The table's figures now, or undefined when it is not in the lake (a gold model not built yet). */
export function tableFigures(lake: LocalLake, database: string, table: string): TableFigures | undefined {
  if (!lake.hasTable(database, table)) return undefined;
  // Listed before the manifests are read, so a file committed meanwhile counts as referenced.
  const onDisk = dataFileNames(lake, database, table);
  const snapshots = lake.snapshots(database, table);
  const current = snapshots.at(-1)!;
  const referenced = new Set(snapshots.flatMap((snapshot) => snapshot.files));
  return {
    snapshots: snapshots.length,
    rows: current.summary.totalRows,
    dataFiles: current.files.length,
    unreferencedFiles: onDisk.filter((file) => !referenced.has(file)).length,
  };
}
