/**
 * The columns of a dataset's Glue tables, derived from its contract. Pure, so the validator and
 * the offline runtime can rely on the same column lists the CDK app declares.
 */
import type { Dataset } from '../contracts/model.ts';
import { ContractError } from '../contracts/problems.ts';
import { FILE_ID_COLUMN, INGEST_DATE_COLUMN, ROW_NUMBER_COLUMN } from '../contracts/lakehouse-columns.ts';
import { glueColumnType, rawParquetColumnType } from './glue-column-type.ts';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/** Glue's limit on a column comment. */
const MAX_COMMENT_LENGTH = 255;

/** A contract description as a Glue comment: one line, cut to Glue's limit with an ellipsis. */
export function glueComment(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const oneLine = description.replace(/\s+/g, ' ').trim();
  if (oneLine === '') return undefined;
  return oneLine.length <= MAX_COMMENT_LENGTH ? oneLine : `${oneLine.slice(0, MAX_COMMENT_LENGTH - 1)}…`;
}

function column(name: string, type: string, description: string | undefined): GlueColumn {
  const comment = glueComment(description);
  return comment === undefined ? { name, type } : { name, type, comment };
}

type DatasetColumns = Pick<Dataset, 'domain' | 'name' | 'columns' | 'format'>;

/**
 * The raw table reads files as delivered: every column a string for text formats (Athena's CSV
 * readers map columns by position, and casting is the validator's job); Parquet carries its own
 * types, so there the contract's types are declared.
 */
export function rawColumns(dataset: DatasetColumns): GlueColumn[] {
  return dataset.columns.map((contractColumn) =>
    column(
      contractColumn.name,
      dataset.format === 'parquet' ? rawParquetColumnType(contractColumn.type) : 'string',
      contractColumn.description,
    ),
  );
}

const ADDED_COLUMNS = [FILE_ID_COLUMN, ROW_NUMBER_COLUMN, INGEST_DATE_COLUMN];

/** The validated table: the contract's typed columns plus the source file id and row number. */
export function validatedColumns(dataset: DatasetColumns): GlueColumn[] {
  for (const contractColumn of dataset.columns) {
    if (ADDED_COLUMNS.includes(contractColumn.name)) {
      throw new ContractError([
        {
          ...contractColumn.position,
          message:
            `dataset '${dataset.domain}/${dataset.name}': column '${contractColumn.name}' ` +
            `collides with a column the lakehouse adds (${ADDED_COLUMNS.join(', ')}); rename it`,
        },
      ]);
    }
  }
  return [
    ...dataset.columns.map((contractColumn) =>
      column(contractColumn.name, glueColumnType(contractColumn.type), contractColumn.description),
    ),
    column(FILE_ID_COLUMN, 'string', 'Id of the source file (hash of bucket, key and version)'),
    column(ROW_NUMBER_COLUMN, 'bigint', '1-based row number in the source file'),
  ];
}

/** Partition column of the validated table. */
export const INGEST_DATE_PARTITION: GlueColumn = {
  name: INGEST_DATE_COLUMN,
  type: 'date',
  comment: 'Date the source file landed (yyyy-MM-dd)',
};
