/**
 * The local stand-ins of one environment's cloud services, wired once per runtime and shared by
 * every execution: the S3 server with the zone buckets by their real names, the local lake, one
 * DuckDB connection on it, the process's scratch folder, the lock table, the execution registry,
 * the notification logs and Athena's query results. Services (pipelines, maintenance, quarantine)
 * read what they need from here; `close` gives everything back.
 */
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { bucketName, glueDatabaseName, ZONES, type Zone } from '../../config/names.ts';
import type { Dataset } from '../../contracts/model.ts';
import type { ZoneBuckets } from '../../ingest/process-landed-file.ts';
import { LocalLake } from '../lake/local-lake.ts';
import { openLocalDuckDb, type LocalDuckDb } from '../local-duckdb.ts';
import { startS3Server, type S3Server } from '../s3-server.ts';
import { claimScratch, releaseScratch } from '../scratch.ts';
import { workspaceAt } from '../workspace.ts';
import { ExecutionRegistry } from './execution-registry.ts';
import { LocalAthena } from './local-athena.ts';
import { LocalLockTable } from './local-lock-table.ts';
import { LocalNotifications } from './local-notifications.ts';
import { runtimePaths, type RuntimePaths } from './runtime-paths.ts';
import { findDataset, type SynthesizedEnvironment } from './synthesized-environment.ts';

export interface LocalServicesOptions {
  /** The folder holding `cdk.json`. */
  readonly projectRoot: string;
  /** The workspace folder. @default `<projectRoot>/.lake` */
  readonly workspace?: string;
  /**
   * Which environment's definitions and names to use, its app synthesized by the caller
   * (`openOfflineEnvironment` in lib/cli): the runtime never builds constructs.
   */
  readonly synthesized: SynthesizedEnvironment;
}

export class LocalServices {
  readonly lake: LocalLake;
  readonly buckets: Readonly<Record<Zone, string>>;
  readonly executions: ExecutionRegistry;
  readonly locks: LocalLockTable;
  readonly notifications: LocalNotifications;
  /** One per runtime: `getQueryResults` answers from the queries `startQueryExecution` ran. */
  readonly athena = new LocalAthena();

  private constructor(
    readonly environment: SynthesizedEnvironment,
    readonly paths: RuntimePaths,
    readonly s3: S3Server,
    private readonly duckdb: LocalDuckDb,
    /** This process's copies of landed and validated files, and DuckDB's spill files. */
    readonly scratch: string,
  ) {
    this.lake = new LocalLake(paths.root);
    this.buckets = Object.fromEntries(ZONES.map((zone) => [zone, bucketName(environment.identity, zone)])) as Record<Zone, string>;
    this.executions = new ExecutionRegistry(paths.executions);
    this.locks = new LocalLockTable(paths.locks);
    this.notifications = new LocalNotifications(paths);
  }

  /**
   * Starts the local S3 server with every zone bucket of the environment by its real name. The
   * environment's app is synthesized when a state machine first runs.
   */
  static async start(options: LocalServicesOptions): Promise<LocalServices> {
    const projectRoot = resolve(options.projectRoot);
    const environment = options.synthesized;
    const paths = runtimePaths(workspaceAt(options.workspace ?? join(projectRoot, '.lake')));
    const s3 = await startS3Server({
      directory: paths.s3,
      buckets: ZONES.map((zone) => bucketName(environment.identity, zone)),
      region: environment.identity.region,
    });
    // A step failing after the server started gives everything back: a listening server would keep the process from exiting.
    let scratch: string | undefined;
    try {
      // Copies of landed and validated files, and DuckDB's spill files, stay in the workspace and go with this runtime.
      scratch = claimScratch(paths);
      // Executions of processes killed meanwhile are stopped for good: their locks can be taken over.
      new ExecutionRegistry(paths.executions).markAbandoned();
      // Bounded memory: a load spills to the scratch folder instead of growing with the table.
      const duckdb = await openLocalDuckDb(scratch);
      return new LocalServices(environment, paths, s3, duckdb, scratch);
    } catch (error) {
      if (scratch !== undefined) releaseScratch(scratch);
      await s3.close();
      throw error;
    }
  }

  /** The connection loads and maintenance run on, with the lake's memory limit and spill folder. */
  get connection(): DuckDBConnection {
    return this.duckdb.connection;
  }

  async close(): Promise<void> {
    this.duckdb.close();
    await this.s3.close();
    releaseScratch(this.scratch);
  }

  /** `<domain>/<dataset>`, or `UnknownDatasetError` with a did-you-mean. */
  dataset(ref: string): Dataset {
    return findDataset(this.environment.catalog, ref);
  }

  database(dataset: Pick<Dataset, 'domain'>): string {
    return glueDatabaseName(this.environment.identity, dataset.domain);
  }

  /** The zones a validator reads and writes. */
  zoneBuckets(): ZoneBuckets {
    const { landing, validated, quarantine, audit } = this.buckets;
    return { landing, validated, quarantine, audit };
  }
}
