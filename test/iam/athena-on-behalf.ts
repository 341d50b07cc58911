/**
 * What Athena does with the caller's credentials when it runs a statement: it reads the table
 * definitions from Glue (and commits an Iceberg write by updating the table), reads and writes the
 * tables' files in S3, writes the query results, and uses the buckets' KMS key for all of it. The
 * tables a statement touches are found in its text among the tables the app declares, with
 * their locations as synthesized (Glue tables and the Iceberg tables' `CREATE TABLE ... LOCATION`).
 */
import type { Call } from './call.ts';
import type { SynthesizedApp } from './synthesized-app.ts';

export interface DeclaredTable {
  readonly database: string;
  readonly table: string;
  readonly bucket: string;
  /** Key prefix of the table's files, ending in `/`. */
  readonly prefix: string;
}

export interface AthenaWorkgroup {
  readonly name: string;
  readonly arn: string;
  readonly enforced: boolean;
  /** `s3://bucket/prefix/` */
  readonly outputLocation: string;
}

/** The app's tables, workgroups and bucket keys: what a statement's calls are derived from. */
export interface AthenaCatalog {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly tables: readonly DeclaredTable[];
  readonly workgroups: ReadonlyMap<string, AthenaWorkgroup>;
  /** KMS key ARN by bucket name, from each bucket's default encryption. */
  readonly bucketKeys: ReadonlyMap<string, string>;
}

function splitS3(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (match === null) throw new Error(`not an s3:// location: ${uri}`);
  const prefix = match[2]!;
  return { bucket: match[1]!, prefix: prefix.endsWith('/') || prefix === '' ? prefix : `${prefix}/` };
}

export function readAthenaCatalog(app: SynthesizedApp): AthenaCatalog {
  const tables: DeclaredTable[] = [];
  const workgroups = new Map<string, AthenaWorkgroup>();
  const bucketKeys = new Map<string, string>();
  let environment: { region: string; account: string; partition: string } | undefined;
  for (const resource of app.resources) {
    const properties = resource.raw.Properties ?? {};
    if (resource.type === 'AWS::Glue::Table') {
      const input = resource.resolve(properties['TableInput']) as { Name: string; StorageDescriptor?: { Location?: string } };
      const location = input.StorageDescriptor?.Location;
      if (location !== undefined) {
        tables.push({ database: resource.resolve(properties['DatabaseName']) as string, table: input.Name, ...splitS3(location) });
      }
    } else if (resource.type === 'Custom::IcebergTable') {
      const statement = resource.resolve(properties['createStatement']) as string;
      const location = /LOCATION '([^']+)'/.exec(statement)?.[1];
      if (location === undefined) throw new Error(`${resource.logicalId}: no LOCATION in ${statement}`);
      tables.push({
        database: resource.resolve(properties['database']) as string,
        table: resource.resolve(properties['table']) as string,
        ...splitS3(location),
      });
    } else if (resource.type === 'AWS::Athena::WorkGroup') {
      const name = resource.resolve(properties['Name']) as string;
      const configuration = resource.resolve(properties['WorkGroupConfiguration']) as {
        EnforceWorkGroupConfiguration?: boolean;
        ResultConfiguration: { OutputLocation: string };
      };
      const arn = resource.resolve({ 'Fn::GetAtt': [resource.logicalId, 'Arn'] }) as string;
      const [, partition, , region, account] = arn.split(':') as [string, string, string, string, string];
      environment = { region, account, partition };
      workgroups.set(name, {
        name,
        arn,
        enforced: configuration.EnforceWorkGroupConfiguration === true,
        outputLocation: configuration.ResultConfiguration.OutputLocation,
      });
    } else if (resource.type === 'AWS::S3::Bucket') {
      const encryption = resource.resolve(properties['BucketEncryption']) as {
        ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { KMSMasterKeyID?: string } }[];
      } | null;
      const key = encryption?.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault.KMSMasterKeyID;
      if (key !== undefined) bucketKeys.set(resource.resolve(properties['BucketName']) as string, key);
    }
  }
  if (environment === undefined) throw new Error('the app declares no Athena workgroup');
  return { ...environment, tables, workgroups, bucketKeys };
}

/** Statements that change a table, and the keyword before the table they change. */
const WRITES: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'create', pattern: /^\s*create\s+table\s+(?:if\s+not\s+exists\s+)?(\S+)/i },
  { kind: 'alter', pattern: /^\s*alter\s+table\s+(\S+)/i },
  { kind: 'merge', pattern: /^\s*merge\s+into\s+(\S+)/i },
  { kind: 'insert', pattern: /^\s*insert\s+into\s+(\S+)/i },
  { kind: 'delete', pattern: /^\s*delete\s+from\s+(\S+)/i },
  { kind: 'update', pattern: /^\s*update\s+(\S+)/i },
  { kind: 'optimize', pattern: /^\s*optimize\s+(\S+)/i },
  { kind: 'vacuum', pattern: /^\s*vacuum\s+(\S+)/i },
];

function unquoted(sql: string): string {
  return sql.replace(/["`]/g, '');
}

function qualified(table: DeclaredTable): string {
  return `${table.database}.${table.table}`;
}

export interface AthenaStatementCalls {
  readonly kind: string;
  readonly calls: readonly Call[];
}

/**
 * The calls Athena makes as the caller for one statement in one workgroup, results written to
 * `outputLocation` (the workgroup's when it enforces its own).
 */
export function athenaOnBehalf(catalog: AthenaCatalog, sql: string, workgroup: AthenaWorkgroup, clientOutputLocation?: string): AthenaStatementCalls {
  const text = unquoted(sql);
  const view = /^\s*create\s+(?:or\s+replace\s+)?view\s+(\w+)\.(\w+)/i.exec(text);
  const write = WRITES.map(({ kind, pattern }) => ({ kind, target: pattern.exec(text)?.[1] })).find((found) => found.target !== undefined);
  // An UNLOAD reads like its SELECT and writes its result files under the location it names.
  const unloadTo = /^\s*unload\s*\([\s\S]*\)\s*to\s+\\?'(s3:\/\/[^'\\]+)\\?'/i.exec(text)?.[1];
  const kind = view !== null ? 'view' : unloadTo !== undefined ? 'unload' : (write?.kind ?? (/^\s*(select|with)\b/i.test(text) ? 'select' : undefined));
  if (kind === undefined) throw new Error(`statement of a kind this evaluation does not know: ${sql.slice(0, 120)}`);
  const mentioned = catalog.tables.filter((table) => new RegExp(`(^|[^\\w.])${qualified(table).replace('.', '\\.')}($|[^\\w])`).test(text));
  const written = mentioned.filter((table) => write?.target === qualified(table));
  if (write !== undefined && written.length === 0) throw new Error(`the ${kind} target ${write.target} is no table the app declares`);

  const { partition, region, account } = catalog;
  const glue = (resource: string): string => `arn:${partition}:glue:${region}:${account}:${resource}`;
  const object = (bucket: string, key: string): string => `arn:${partition}:s3:::${bucket}/${key}`;
  const keyOf = (bucket: string): string => {
    const key = catalog.bucketKeys.get(bucket);
    if (key === undefined) throw new Error(`bucket ${bucket} has no KMS key in this app`);
    return key;
  };
  const calls: Call[] = [];
  const why = `Athena ${kind.toUpperCase()} as the caller`;
  if (view !== null) {
    // A view is a Glue table without files: created, or replaced in place.
    const [, database, name] = view as unknown as [string, string, string];
    for (const action of ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable']) {
      const resources = [glue('catalog'), glue(`database/${database}`), ...(action === 'glue:GetDatabase' ? [] : [glue(`table/${database}/${name}`)])];
      for (const resource of resources) calls.push({ action, resource, why: `${why}: view ${database}.${name}` });
    }
  }
  for (const table of mentioned) {
    const isWritten = written.includes(table);
    const name = qualified(table);
    for (const resource of [glue('catalog'), glue(`database/${table.database}`)]) {
      calls.push({ action: 'glue:GetDatabase', resource, why: `${why}: database of ${name}` });
    }
    if (kind !== 'create' || !isWritten) {
      for (const resource of [glue('catalog'), glue(`database/${table.database}`), glue(`table/${table.database}/${table.table}`)]) {
        calls.push({ action: 'glue:GetTable', resource, why: `${why}: definition of ${name}` });
      }
    }
    if (kind === 'create' && isWritten) {
      for (const resource of [glue('catalog'), glue(`database/${table.database}`), glue(`table/${table.database}/${table.table}`)]) {
        calls.push({ action: 'glue:CreateTable', resource, why: `${why}: creates ${name}` });
      }
    }
    const commits = isWritten && kind !== 'create';
    if (commits) {
      for (const resource of [glue('catalog'), glue(`database/${table.database}`), glue(`table/${table.database}/${table.table}`)]) {
        calls.push({ action: 'glue:UpdateTable', resource, why: `${why}: commits ${name}` });
      }
    }
    const file = object(table.bucket, `${table.prefix}data/part-00000.parquet`);
    const bucketArn = `arn:${partition}:s3:::${table.bucket}`;
    // An Iceberg ALTER reads the current metadata and writes the next, like any commit.
    const filesTouched = kind !== 'create';
    if (filesTouched || (isWritten && kind === 'create')) {
      calls.push({ action: 's3:ListBucket', resource: bucketArn, context: { 's3:prefix': `${table.prefix}metadata/` }, why: `${why}: lists ${name}'s files` });
    }
    if (filesTouched) {
      calls.push({ action: 's3:GetObject', resource: file, why: `${why}: reads ${name}'s files` });
      calls.push({ action: 'kms:Decrypt', resource: keyOf(table.bucket), why: `${why}: decrypts ${name}'s files` });
    }
    if (commits || (isWritten && kind === 'create')) {
      calls.push({ action: 's3:PutObject', resource: object(table.bucket, `${table.prefix}metadata/00001.metadata.json`), why: `${why}: writes ${name}'s files` });
      calls.push({ action: 'kms:GenerateDataKey', resource: keyOf(table.bucket), why: `${why}: encrypts ${name}'s files` });
    }
    if (isWritten && kind === 'vacuum') {
      calls.push({ action: 's3:DeleteObject', resource: file, why: `${why}: removes ${name}'s expired files` });
    }
  }
  if (unloadTo !== undefined) {
    const destination = splitS3(unloadTo);
    calls.push(
      { action: 's3:ListBucket', resource: `arn:${partition}:s3:::${destination.bucket}`, context: { 's3:prefix': destination.prefix }, why: `${why}: checks the destination is empty` },
      { action: 's3:PutObject', resource: object(destination.bucket, `${destination.prefix}query-id_part-00000`), why: `${why}: writes the unloaded files` },
      { action: 'kms:GenerateDataKey', resource: keyOf(destination.bucket), why: `${why}: encrypts the unloaded files` },
    );
  }
  const output = splitS3(workgroup.enforced || clientOutputLocation === undefined ? workgroup.outputLocation : clientOutputLocation);
  calls.push(
    { action: 's3:PutObject', resource: object(output.bucket, `${output.prefix}query-id.csv`), why: `${why}: writes the query results` },
    { action: 's3:GetObject', resource: object(output.bucket, `${output.prefix}query-id.csv`), why: `${why}: reads the query results` },
    { action: 's3:GetBucketLocation', resource: `arn:${partition}:s3:::${output.bucket}`, why: `${why}: locates the results bucket` },
    { action: 'kms:GenerateDataKey', resource: keyOf(output.bucket), why: `${why}: encrypts the query results` },
    { action: 'kms:Decrypt', resource: keyOf(output.bucket), why: `${why}: decrypts the query results` },
  );
  return { kind, calls };
}
