import { join, resolve } from 'node:path';

/**
 * Where the offline runtime keeps its state (git-ignored): the local lake's tables, the local S3
 * server's buckets and the alerts that SNS would have sent.
 */
export interface Workspace {
  /** `.lake/`: the local lake's root (tables under `tables/<database>/<table>/`). */
  readonly root: string;
  /** Buckets of the local S3 server, one folder each. */
  readonly s3: string;
  /** One line per alert the pipeline published. */
  readonly alertsLog: string;
}

export const DEFAULT_WORKSPACE = '.lake';

export function workspaceAt(root: string = DEFAULT_WORKSPACE): Workspace {
  const absolute = resolve(root);
  return { root: absolute, s3: join(absolute, 's3'), alertsLog: join(absolute, 'alerts.log') };
}
