/**
 * The offline stand-in for SageMaker's Model Registry: each version a file under
 * `<workspace>/ml/registry/<group>/versions/<n>.json`, numbered 1, 2, 3 per group as SageMaker
 * numbers them, behind the same `ModelRegistry` interface.
 *
 * Registration needs no lock. A version is written whole under a temporary name and hard-linked
 * to the next number, which fails if another writer took it (as lib/local/lake commits do); the
 * loser reads the group again and retries. Every writer links the number after the highest it
 * read, so the numbers in use are always 1..n without gaps, and a writer that reads no version
 * of its run id cannot lose to a writer of the same run id: one registration per run id, however
 * many processes retry it at once.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { modelPackageStateChange, type ModelPackageStateChangeEvent } from '../../ml/model-package-state-change.ts';
import {
  initialApprovalStatus,
  latestApprovedOf,
  ModelVersionNotFoundError,
  type ApprovalDecision,
  type ModelRegistry,
  type ModelVersion,
  type RegisterModelVersion,
} from '../../ml/model-registry.ts';
import { encodeRegistryMetadata } from '../../ml/registry-metadata.ts';
import { readVersionFile, versionFileText } from './registry-version-file.ts';
import { writeDurably } from '../durable-file.ts';
import { isModelPackageGroupName } from '../../config/names.ts';

const VERSION_FILE = /^([1-9][0-9]*)\.json$/;

export interface LocalRegistryOptions {
  /** The workspace (`.lake/`); the registry lives in its `ml/registry/`. */
  readonly workspace: string;
  /** Told of each new version and each approval change, as EventBridge would be. */
  readonly onStateChange?: (event: ModelPackageStateChangeEvent) => void;
  /** @default 'local' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly account?: string;
  /** @default the system clock */
  readonly now?: () => Date;
}

export class LocalModelRegistry implements ModelRegistry {
  readonly root: string;
  private readonly region: string;
  private readonly account: string;
  private readonly now: () => Date;

  constructor(private readonly options: LocalRegistryOptions) {
    this.root = join(options.workspace, 'ml', 'registry');
    this.region = options.region ?? 'local';
    this.account = options.account ?? '000000000000';
    this.now = options.now ?? (() => new Date());
  }

  async register(request: RegisterModelVersion): Promise<ModelVersion> {
    encodeRegistryMetadata(request.group, request.lineage, request.metrics);
    const directory = this.versionsDirectory(request.group);
    mkdirSync(directory, { recursive: true });
    for (;;) {
      const versions = this.readVersions(request.group);
      const registered = versions.find((version) => version.lineage.runId === request.lineage.runId);
      if (registered !== undefined) return registered;
      const created = this.newVersion(request, versions.length + 1);
      const staged = join(directory, `.${randomUUID()}.tmp`);
      writeDurably(staged, versionFileText(created));
      try {
        linkSync(staged, join(directory, `${created.version}.json`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      } finally {
        rmSync(staged, { force: true });
      }
      this.announce(created);
      return created;
    }
  }

  async listVersions(group: string): Promise<ModelVersion[]> {
    return this.readVersions(group);
  }

  async describeVersion(group: string, version: number): Promise<ModelVersion> {
    const path = join(this.versionsDirectory(group), `${version}.json`);
    if (!Number.isSafeInteger(version) || version < 1 || !existsSync(path)) throw new ModelVersionNotFoundError(group, version);
    return readVersionFile(path, group, version);
  }

  async updateApproval(group: string, version: number, decision: ApprovalDecision, description: string): Promise<ModelVersion> {
    const current = await this.describeVersion(group, version);
    const updated: ModelVersion = { ...current, approval: decision, approvalDescription: description };
    const directory = this.versionsDirectory(group);
    const staged = join(directory, `.${randomUUID()}.tmp`);
    writeDurably(staged, versionFileText(updated));
    // A rename replaces the file whole: a reader sees the old approval or the new, never half.
    renameSync(staged, join(directory, `${version}.json`));
    if (current.approval !== decision) this.announce(updated);
    return updated;
  }

  async latestApproved(group: string): Promise<ModelVersion | undefined> {
    return latestApprovedOf(this.readVersions(group));
  }

  private versionsDirectory(group: string): string {
    // A name SageMaker accepts (letters, digits, inner hyphens) is also a safe folder name.
    if (!isModelPackageGroupName(group)) {
      throw new Error(`'${group}' is not a Model Package Group name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit`);
    }
    return join(this.root, group, 'versions');
  }

  /** Every version of `group`, oldest first. */
  private readVersions(group: string): ModelVersion[] {
    const directory = this.versionsDirectory(group);
    if (!existsSync(directory)) return [];
    return readdirSync(directory)
      .map((name) => VERSION_FILE.exec(name))
      .filter((match) => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b)
      .map((version) => readVersionFile(join(directory, `${version}.json`), group, version));
  }

  private newVersion(request: RegisterModelVersion, version: number): ModelVersion {
    return {
      group: request.group,
      version,
      arn: `arn:aws:sagemaker:${this.region}:${this.account}:model-package/${request.group}/${version}`,
      status: 'Completed',
      approval: initialApprovalStatus(request.approval),
      metrics: request.metrics,
      metricsDocument: request.metricsDocument,
      lineage: request.lineage,
      artifact: request.artifact,
      image: request.image,
      createdAt: this.now().toISOString(),
    };
  }

  private announce(version: ModelVersion): void {
    this.options.onStateChange?.(modelPackageStateChange(version, { account: this.account, region: this.region, time: this.now() }));
  }
}
