/**
 * The columns the lakehouse adds to a dataset's rows (validated Parquet, silver table). They are
 * named here, at the bottom layer, so the contract checks can refuse a column whose derived name
 * is one of them, and the pipeline and Glue code that add them use the same names.
 */

/** Partition column of the validated table: the date the file landed, `yyyy-MM-dd`. */
export const INGEST_DATE_COLUMN = 'ingest_date';
/** Column carrying the source file's id on every loaded row. */
export const FILE_ID_COLUMN = 'file_id';
/** Column carrying the 1-based row number in the source file. */
export const ROW_NUMBER_COLUMN = '_row';
/** Silver column carrying the landing event's time (UTC): which of two deliveries of a key is newer. */
export const INGESTED_AT_COLUMN = '_ingested_at';
/** Silver column carrying the id of the landing key (every version of it): what a corrected re-delivery replaces. */
export const SOURCE_ID_COLUMN = '_source_id';

/** Every column the lakehouse adds; a contract column may derive none of these names. */
export const LAKEHOUSE_COLUMNS: readonly string[] = [FILE_ID_COLUMN, ROW_NUMBER_COLUMN, INGEST_DATE_COLUMN, INGESTED_AT_COLUMN, SOURCE_ID_COLUMN];
