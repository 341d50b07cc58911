/**
 * The Load step offline: the definition's query is the Athena rendering of the dataset's
 * compiled load step; this reads its values back (`argumentsOf`, which also proves the query is
 * that step's), fetches the validated Parquet of this delivery from the local S3 server, shows it
 * as the validated table named as in Athena, and runs the step's DuckDB rendering on the local lake.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { validatedPrefix } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import { landedFileName, validatedKey } from '../../ingest/layout.ts';
import { downloadObject } from '../../ingest/s3-objects.ts';
import type { LoadStep } from '../../pipeline/load-step.ts';
import { validatedViewSql } from '../../pipeline/validated-view.ts';
import type { LocalLake } from '../lake/local-lake.ts';
import type { OfflineQuery } from './local-athena.ts';

export interface LoadQueryContext {
  readonly dataset: Dataset;
  readonly step: LoadStep;
  readonly lake: LocalLake;
  readonly connection: DuckDBConnection;
  readonly s3: S3Client;
  readonly validatedBucket: string;
  /** The landing key this execution was started for: its file name is part of the delivery's keys. */
  readonly landingKey: string;
  readonly scratchDirectory: string;
}

export function loadQuery(context: LoadQueryContext): OfflineQuery {
  const { dataset, step, lake, connection } = context;
  return async (queryString) => {
    const args = step.argumentsOf(queryString);
    const key = validatedKey({ dataset, fileName: landedFileName(dataset, context.landingKey), ...args });
    const root = await mkdtemp(join(context.scratchDirectory, 'load-'));
    try {
      const file = join(root, key);
      await mkdir(dirname(file), { recursive: true });
      await downloadObject(context.s3, { bucket: context.validatedBucket, key }, file);
      const write = step.duckdb(args);
      await connection.run(validatedViewSql(dataset, write.database, join(root, validatedPrefix(dataset))));
      // Only the data files holding rows the load can match are rewritten.
      await lake.write(connection, write.database, write.table, write.operation, write.statements, { scope: write.scope });
      return undefined;
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  };
}
