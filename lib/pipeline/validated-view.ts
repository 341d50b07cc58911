/**
 * The validated table offline: a DuckDB view named as in Athena (`"<database>"."<table>_validated"`)
 * over the validator's Parquet files, so the load step's DuckDB rendering reads it unchanged.
 * Pure: it only writes SQL.
 */
import { INGEST_DATE_COLUMN, validatedTableName } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { quoteIdentifier, quoteString } from '../sql/ansi.ts';

/**
 * `CREATE OR REPLACE VIEW` over `<directory>/ingest_date=<yyyy-mm-dd>/*.parquet`, where
 * `directory` is the local copy of the dataset's validated prefix. The ingest date comes from the
 * folder name, as Athena's partition projection reads it from the key. DuckDB resolves the files
 * when the view is created, so create it after the validator wrote at least one file.
 */
export function validatedViewSql(dataset: Pick<Dataset, 'domain' | 'names'>, database: string, directory: string): string {
  const files = `${directory.replace(/\/+$/, '')}/${INGEST_DATE_COLUMN}=*/*.parquet`;
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)};`,
    `CREATE OR REPLACE VIEW ${quoteIdentifier(database)}.${quoteIdentifier(validatedTableName(dataset))} AS`,
    `SELECT * FROM read_parquet(${quoteString(files)}, hive_partitioning = true, hive_types = {${quoteString(INGEST_DATE_COLUMN)}: DATE})`,
  ].join('\n');
}
