/** What `bench:pipeline` asks a child process to deliver, and what the child reports back. */
export interface DeliveryRequest {
  /** The project holding `cdk.json` and `contracts/`. */
  readonly projectRoot: string;
  readonly workspace: string;
  /** `<domain>/<dataset>`. */
  readonly dataset: string;
  readonly file: string;
  /** ISO-8601. */
  readonly ingestTime: string;
}

export interface DeliveryResult {
  readonly status: string;
  /** The execution's error and cause, when it did not succeed. */
  readonly failure?: string;
  readonly rowsLoaded: number;
  /** Rows in the silver table after the delivery. */
  readonly totalRows: number;
  /** Wall time of the pipeline run alone (the app is synthesized and the runtime started before). */
  readonly seconds: number;
  /** Resident set size when the run started, in MiB: the synthesized app and the runtime. */
  readonly baselineRssMb: number;
  /** Peak resident set size while the run ran, in MiB (the whole process's peak where Linux cannot reset it). */
  readonly peakRssMb: number;
  /** Whether `peakRssMb` covers the run alone (Linux `clear_refs`) or the process's whole life. */
  readonly peakOfRunOnly: boolean;
  /** Bytes of the data files the run added to the table. */
  readonly bytesWritten: number;
  /** Bytes of the table's current data files after the run. */
  readonly tableBytes: number;
}
