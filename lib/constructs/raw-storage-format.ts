/** How Athena reads a dataset's landing files: SerDe, input/output formats and table parameters. Pure. */
import type { Dataset } from '../contracts/model.ts';

export interface StorageFormat {
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Readonly<Record<string, string>>;
  readonly tableParameters: Readonly<Record<string, string>>;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export const PARQUET_FORMAT: StorageFormat = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  serdeParameters: {},
  tableParameters: { classification: 'parquet' },
};

/**
 * OpenCSVSerDe, because it honours quotes (LazySimpleSerDe splits quoted delimiters). It refuses
 * an escape character equal to the quote, and parses a doubled quote inside quotes by itself, so
 * the contract's default RFC 4180 escape (`"`) is left out rather than passed on.
 */
function csvFormat(csv: Dataset['csv']): StorageFormat {
  const escapeIsDoubledQuote = csv.escape === csv.quote || csv.escape === '';
  return {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
    serdeParameters: {
      separatorChar: csv.delimiter,
      quoteChar: csv.quote,
      ...(escapeIsDoubledQuote ? {} : { escapeChar: csv.escape }),
    },
    tableParameters: { classification: 'csv', ...(csv.header ? { 'skip.header.line.count': '1' } : {}) },
  };
}

/** JSON Lines: one object per line. */
const JSON_LINES_FORMAT: StorageFormat = {
  inputFormat: TEXT_INPUT,
  outputFormat: TEXT_OUTPUT,
  serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
  serdeParameters: {},
  tableParameters: { classification: 'json' },
};

export function rawStorageFormat(dataset: Pick<Dataset, 'format' | 'csv'>): StorageFormat {
  switch (dataset.format) {
    case 'csv':
      return csvFormat(dataset.csv);
    case 'json':
      return JSON_LINES_FORMAT;
    case 'parquet':
      return PARQUET_FORMAT;
  }
}
