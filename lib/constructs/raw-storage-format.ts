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

/**
 * JSON Lines: one object per line, read with the OpenX JSON SerDe, which finds a column under its
 * name lowercased. A key that is not its column's lakehouse name (`Unit Price` for `unit_price`)
 * needs a `mapping.<column>`, and a mapping needs `case.insensitive` off (Athena's OpenX JSON SerDe
 * page), after which every key must be its column's name exactly or mapped: the renamed are.
 */
function jsonLinesFormat(columns: Dataset['columns']): StorageFormat {
  const renamed = columns.filter((column) => column.nameInFile !== column.name);
  return {
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    serdeParameters:
      renamed.length === 0
        ? {}
        : { 'case.insensitive': 'FALSE', ...Object.fromEntries(renamed.map((column) => [`mapping.${column.name}`, column.nameInFile])) },
    tableParameters: { classification: 'json' },
  };
}

export function rawStorageFormat(dataset: Pick<Dataset, 'format' | 'csv' | 'columns'>): StorageFormat {
  switch (dataset.format) {
    case 'csv':
      return csvFormat(dataset.csv);
    case 'json':
      return jsonLinesFormat(dataset.columns);
    case 'parquet':
      return PARQUET_FORMAT;
  }
}
