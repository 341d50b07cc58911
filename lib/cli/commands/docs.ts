import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { bucketName, type EnvironmentIdentity } from '../../config/names.ts';
import { checkCatalog } from '../../contracts/load.ts';
import { formatProblem, type ContractProblem } from '../../contracts/problems.ts';
import { docsCatalog, allDatasets, type DocsCatalog } from '../../docs/catalog-model.ts';
import { writeSite } from '../../docs/generate-site.ts';
import { INDEX_PAGE } from '../../docs/page-paths.ts';
import { siteFolderRefusal } from '../../docs/site-folder.ts';
import { readValidationReports, type AuditZone, type ReadReports } from '../../docs/validation-reports.ts';
import { checkMlModels } from '../../ml/load.ts';
import { checkTransforms } from '../../transforms/compile.ts';
import { awsRegionOr } from '../aws-region.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandIO } from '../io.ts';
import { requireDirectory } from '../path-arguments.ts';
import { projectSettings } from '../project-settings.ts';
import { UsageError } from '../usage-error.ts';

/** `s3://<bucket>/<prefix>`: the prefix, if any, is where the audit zone starts (it holds `reports/`). */
function parseFrom(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (match === null) throw new UsageError(`--from must be an S3 URI, s3://<bucket>/<prefix>, not '${uri}'`);
  const prefix = match[2]!;
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/** The catalog as the pages show it, or undefined with every problem printed. */
async function loadDocsCatalog(root: string, environmentName: string, io: CommandIO): Promise<{ catalog?: DocsCatalog; identity?: EnvironmentIdentity }> {
  const checked = checkCatalog(root);
  const transforms = checked.catalog === undefined ? undefined : checkTransforms(checked.catalog);
  const ml = checked.catalog === undefined || transforms?.dag === undefined ? undefined : await checkMlModels(checked.catalog, projectSettings);
  const problems: ContractProblem[] = [...checked.problems, ...(transforms?.problems ?? []), ...(ml?.problems ?? [])];
  if (checked.catalog === undefined || transforms?.dag === undefined || ml?.models === undefined || problems.length > 0) {
    for (const problem of problems) io.err(formatProblem(problem));
    io.err(`lakehouse docs: nothing was generated: the contracts have problems (run 'lakehouse contracts check ${root}')`);
    return {};
  }
  const settings = projectSettings();
  const environment = settings.environments.find((candidate) => candidate.name === environmentName);
  if (environment === undefined) {
    throw new UsageError(`--env: no environment '${environmentName}' in cdk.json (it has: ${settings.environments.map((candidate) => candidate.name).join(', ')})`);
  }
  const identity: EnvironmentIdentity = { organization: settings.organization, environment: environment.name, account: environment.account, region: environment.region };
  const catalog = docsCatalog({ catalog: checked.catalog, dag: transforms.dag, mlModels: ml.models, identity, environments: settings.environments });
  return { catalog, identity };
}

/** The local lake's audit bucket, served by the project's local S3 server; none when the lake has none yet. */
async function readLakeReports(lake: string, identity: EnvironmentIdentity, catalog: DocsCatalog): Promise<ReadReports | undefined> {
  const bucket = bucketName(identity, 'audit');
  const buckets = join(lake, 's3');
  if (!existsSync(join(buckets, bucket))) return undefined;
  const { startS3Server } = await import('../../local/s3-server.ts');
  const server = await startS3Server({ directory: buckets, buckets: [bucket] });
  try {
    return await readValidationReports({ s3: server.client, bucket, prefix: '' }, allDatasets(catalog));
  } finally {
    await server.close();
  }
}

export const docs: Command = {
  words: ['docs'],
  usage: 'docs --out <dir> [--lake <dir> | --from s3://<bucket>/<prefix>] [--contracts <dir>] [--env <name>]',
  summary: 'generate the static docs site: catalog, lineage graph, validation history (from the local lake or an S3 audit prefix)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        lake: { type: 'string' },
        from: { type: 'string' },
        contracts: { type: 'string', default: 'contracts' },
        env: { type: 'string', default: 'dev' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.out === undefined || values.out === '') throw new UsageError('--out <dir> is required: where to write the site');
    if (values.from !== undefined && values.lake !== undefined) throw new UsageError('--from and --lake both name where the reports are: give one');
    const from = values.from === undefined ? undefined : parseFrom(values.from);
    requireDirectory(values.contracts);
    const refusal = siteFolderRefusal(values.out);
    if (refusal !== undefined) throw new UsageError(`--out: ${refusal}`);

    const { catalog, identity } = await loadDocsCatalog(values.contracts, values.env, io);
    if (catalog === undefined || identity === undefined) return ExitCode.usage;

    let read: ReadReports | undefined;
    let source: string;
    if (from === undefined) {
      const lake = resolve(values.lake ?? '.lake');
      source = join(lake, 's3', bucketName(identity, 'audit'));
      try {
        read = await readLakeReports(lake, identity, catalog);
      } catch (error) {
        io.err(`lakehouse docs: nothing was generated: cannot read the reports under ${source}: ${(error as Error).message}`);
        return ExitCode.usage;
      }
      if (read === undefined) io.err(`lakehouse docs: no validation reports yet: ${source} does not exist (run a pipeline first, or give --from)`);
    } else {
      source = `s3://${from.bucket}/${from.prefix}`;
      const zone: AuditZone = { s3: new S3Client({ region: await awsRegionOr(identity.region) }), bucket: from.bucket, prefix: from.prefix };
      try {
        read = await readValidationReports(zone, allDatasets(catalog));
      } catch (error) {
        io.err(`lakehouse docs: nothing was generated: cannot read the reports under ${source}: ${(error as Error).message}`);
        return ExitCode.usage;
      } finally {
        zone.s3.destroy();
      }
    }

    const pages = writeSite(values.out, { catalog, reports: read?.reports ?? new Map(), reportSource: source });
    const problems = read?.problems ?? [];
    for (const problem of problems) io.err(`lakehouse docs: skipped ${problem}`);
    const reportCount = [...(read?.reports.values() ?? [])].reduce((sum, reports) => sum + reports.length, 0);
    io.err(`${pages.length} pages from ${reportCount} validation reports`);
    io.out(resolve(values.out, INDEX_PAGE));
    return problems.length > 0 ? ExitCode.checksFailed : ExitCode.success;
  },
};
