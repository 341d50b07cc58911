import { parseArgs } from 'node:util';
import type { ApprovalStatus, ModelPackageStatus, ModelVersion } from '../../ml/model-registry.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { printJson } from '../io.ts';
import { withModelRegistry } from '../model-registry-context.ts';
import { renderTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';
import { RUNTIME_OPTIONS } from './run.ts';

/**
 * One element of `models list --json` (README, "lakehouse models"): a registered version, or a
 * model with none yet, whose other fields are then null, so every model of the contracts is there.
 */
export interface ModelVersionListing {
  /** `<domain>/<model>`. */
  readonly model: string;
  readonly version: number | null;
  readonly status: ModelPackageStatus | null;
  readonly approval: ApprovalStatus | null;
  readonly metrics: Readonly<Record<string, number>> | null;
  readonly runId: string | null;
  readonly createdAt: string | null;
}

function versionListing(model: string, version: ModelVersion): ModelVersionListing {
  return {
    model,
    version: version.version,
    status: version.status,
    approval: version.approval,
    metrics: version.metrics,
    runId: version.lineage.runId,
    createdAt: version.createdAt,
  };
}

const NO_VERSION = { version: null, status: null, approval: null, metrics: null, runId: null, createdAt: null } as const;

function row(listing: ModelVersionListing): string[] {
  if (listing.version === null) return [listing.model, '-', 'no version registered yet'];
  return [
    listing.model,
    String(listing.version),
    listing.status!,
    listing.approval!,
    Object.entries(listing.metrics!).map(([metric, value]) => `${metric}=${value}`).join(' '),
    listing.runId!,
    listing.createdAt!,
  ];
}

/** Exit 0 with the listing, 2 on a usage error. */
export const modelsList: Command = {
  words: ['models', 'list'],
  usage: 'models list [--env <name>] [--json] [--lake <dir>]',
  summary: "list every ML model's versions in the workspace's local model registry, newest first",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...RUNTIME_OPTIONS, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 0) throw new UsageError(`expected no arguments, got ${positionals.join(' ')}`);

    return withModelRegistry(values, io, 'models list', async ({ models, registry }) => {
      const listing: ModelVersionListing[] = [];
      for (const model of models) {
        const versions = await registry.listVersions(model.group);
        if (versions.length === 0) listing.push({ model: model.id, ...NO_VERSION });
        else listing.push(...[...versions].reverse().map((version) => versionListing(model.id, version)));
      }
      if (values.json) printJson(io, listing);
      else if (models.length === 0) io.err('no ML models in the contracts (specs live in contracts/<domain>/ml/<model>.yaml)');
      else io.out(renderTable(['MODEL', 'VERSION', 'STATUS', 'APPROVAL', 'METRICS', 'RUN', 'CREATED'], listing.map(row)));
      return ExitCode.success;
    });
  },
};
