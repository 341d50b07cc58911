/**
 * One model version of the local registry as a file (`<group>/versions/<n>.json`): written whole,
 * read back strictly, so a damaged or hand-edited file is named with its first wrong field rather
 * than read as a version it is not.
 */
import { readFileSync } from 'node:fs';
import type { ApprovalStatus, ModelPackageStatus, ModelVersion } from '../../ml/model-registry.ts';

const FORMAT_VERSION = 1;
const APPROVALS: readonly ApprovalStatus[] = ['PendingManualApproval', 'Approved', 'Rejected'];
const STATUSES: readonly ModelPackageStatus[] = ['Pending', 'InProgress', 'Completed', 'Failed', 'Deleting'];

export class RegistryFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryFileError';
  }
}

export function versionFileText(version: ModelVersion): string {
  return `${JSON.stringify({ formatVersion: FORMAT_VERSION, ...version }, null, 2)}\n`;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';
const isTextMap = (value: unknown): value is Record<string, string> => isRecord(value) && Object.values(value).every(isText);
const isNumberMap = (value: unknown): value is Record<string, number> => isRecord(value) && Object.values(value).every((entry) => typeof entry === 'number');

/** The first field that breaks the format, or undefined when the whole file holds. */
function brokenField(value: Json, group: string, version: number): string | undefined {
  const lineage = value['lineage'];
  const checks: [string, boolean][] = [
    ['formatVersion', value['formatVersion'] === FORMAT_VERSION],
    ['group', value['group'] === group],
    ['version', value['version'] === version],
    ['arn', isText(value['arn'])],
    ['status', STATUSES.includes(value['status'] as ModelPackageStatus)],
    ['approval', APPROVALS.includes(value['approval'] as ApprovalStatus)],
    ['approvalDescription', value['approvalDescription'] === undefined || isText(value['approvalDescription'])],
    ['metrics', isNumberMap(value['metrics'])],
    ['metricsDocument', isText(value['metricsDocument'])],
    ['lineage', isRecord(lineage)],
    ['lineage.runId', isRecord(lineage) && isText(lineage['runId'])],
    ['lineage.gitRevision', isRecord(lineage) && isText(lineage['gitRevision'])],
    ['lineage.trainingSet', isRecord(lineage) && isText(lineage['trainingSet'])],
    ['lineage.featureSnapshots', isRecord(lineage) && isTextMap(lineage['featureSnapshots'])],
    ['lineage.contractVersions', isRecord(lineage) && isTextMap(lineage['contractVersions'])],
    ['artifact', isText(value['artifact'])],
    ['image', isText(value['image'])],
    ['createdAt', isText(value['createdAt']) && !Number.isNaN(Date.parse(value['createdAt']))],
  ];
  return checks.find(([, holds]) => !holds)?.[0];
}

/** Reads version `version` of `group` from `path`, refusing anything this module did not write. */
export function readVersionFile(path: string, group: string, version: number): ModelVersion {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RegistryFileError(`${path}: not a model version file (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new RegistryFileError(`${path}: not a JSON object`);
  const broken = brokenField(value, group, version);
  if (broken !== undefined) throw new RegistryFileError(`${path}: field '${broken}' is missing or wrong for version ${version} of '${group}'`);
  const { formatVersion: _format, ...stored } = value;
  return stored as unknown as ModelVersion;
}
