import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { INGEST_DATE_COLUMN, rawTableName, s3Uri, validatedPrefix, validatedTableName } from '../config/names.ts';
import type { Dataset } from '../contracts/model.ts';
import { glueComment, INGEST_DATE_PARTITION, rawColumns, validatedColumns } from './glue-columns.ts';
import { PARQUET_FORMAT, rawStorageFormat, type StorageFormat } from './raw-storage-format.ts';
import { RETAINED } from './retained.ts';

export interface DatasetTablesProps {
  readonly dataset: Dataset;
  /** Glue database of the dataset's domain. */
  readonly databaseName: string;
  readonly landingBucketName: string;
  readonly validatedBucketName: string;
  /** @default RETAINED (kept, except when its first create rolls back) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The first ingest date partition projection offers; files landed earlier are not expected. */
const FIRST_INGEST_DATE = '2020-01-01';

/**
 * A dataset's plain external tables: the raw table over its landing prefix and the validated
 * table over its typed Parquet. (Its Iceberg silver table is made by Athena DDL, not here: a
 * CloudFormation update of an Iceberg Glue table breaks it.)
 */
export class DatasetTables extends Construct {
  readonly rawTable: glue.CfnTable;
  readonly validatedTable: glue.CfnTable;

  constructor(scope: Construct, id: string, props: DatasetTablesProps) {
    super(scope, id);
    const { dataset } = props;
    const description = glueComment(dataset.description);
    const table = (
      tableId: string,
      name: string,
      format: StorageFormat,
      columns: glue.CfnTable.ColumnProperty[],
      location: string,
      extra: Pick<glue.CfnTable.TableInputProperty, 'partitionKeys' | 'parameters'> = {},
    ): glue.CfnTable => {
      const cfnTable = new glue.CfnTable(this, tableId, {
        catalogId: Stack.of(this).account,
        databaseName: props.databaseName,
        tableInput: {
          name,
          ...(description === undefined ? {} : { description }),
          tableType: 'EXTERNAL_TABLE',
          parameters: { ...format.tableParameters, ...extra.parameters },
          ...(extra.partitionKeys === undefined ? {} : { partitionKeys: extra.partitionKeys }),
          storageDescriptor: {
            columns,
            location,
            inputFormat: format.inputFormat,
            outputFormat: format.outputFormat,
            serdeInfo: {
              serializationLibrary: format.serializationLibrary,
              parameters: format.serdeParameters,
            },
          },
        },
      });
      cfnTable.applyRemovalPolicy(props.removalPolicy ?? RETAINED);
      return cfnTable;
    };

    this.rawTable = table(
      'RawTable',
      rawTableName(dataset),
      rawStorageFormat(dataset),
      rawColumns(dataset),
      s3Uri(props.landingBucketName, dataset.names.landingPrefix),
    );

    const validatedLocation = s3Uri(props.validatedBucketName, validatedPrefix(dataset));
    this.validatedTable = table(
      'ValidatedTable',
      validatedTableName(dataset),
      PARQUET_FORMAT,
      validatedColumns(dataset),
      validatedLocation,
      {
        partitionKeys: [INGEST_DATE_PARTITION],
        parameters: {
          'projection.enabled': 'true',
          [`projection.${INGEST_DATE_COLUMN}.type`]: 'date',
          [`projection.${INGEST_DATE_COLUMN}.format`]: 'yyyy-MM-dd',
          [`projection.${INGEST_DATE_COLUMN}.range`]: `${FIRST_INGEST_DATE},NOW`,
          [`projection.${INGEST_DATE_COLUMN}.interval`]: '1',
          [`projection.${INGEST_DATE_COLUMN}.interval.unit`]: 'DAYS',
          'storage.location.template': `${validatedLocation}${INGEST_DATE_COLUMN}=\${${INGEST_DATE_COLUMN}}/`,
        },
      },
    );
  }
}
