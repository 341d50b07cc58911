/**
 * The event a pipeline puts on the default EventBridge bus after loading a file (DESIGN.md
 * "Transforms per domain": it starts the builds of the domains whose models read the dataset).
 * Builds match on these values, so they are defined once. Pure.
 */

/** `source` of every event the lakehouse puts. */
export const LAKEHOUSE_EVENT_SOURCE = 'contract-lakehouse';

export const DATASET_LOADED_DETAIL_TYPE = 'DatasetLoaded';

export interface DatasetLoadedDetail {
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly fileId: string;
  /** `yyyy-mm-dd`. */
  readonly ingestDate: string;
  /** Rows of the file that passed validation and were merged into the table. */
  readonly rowsLoaded: number;
}
