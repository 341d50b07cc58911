/**
 * A synthesized cloud assembly read as data: the `manifest.json` CDK writes (a Stage's
 * `assembly-<Stage>` folder, or `cdk.out` of an app without stages) and the stack templates and
 * metadata files it names. The offline runtime takes the cloud path's output, never its
 * constructs, so it depends on this file format and not on aws-cdk-lib.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate } from './intrinsics.ts';

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const LOGICAL_ID_METADATA = 'aws:cdk:logicalId';

/** One CloudFormation stack of an assembly. */
export interface AssemblyStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** From the artifact's `aws://<account>/<region>`; `unknown-account`/`unknown-region` when environment-agnostic. */
  readonly environment: { readonly account: string; readonly region: string };
  /** Construct path of each resource by logical id (`/Dev/Pipeline/Machine/Resource`), from CDK's metadata. */
  readonly constructPaths: ReadonlyMap<string, string>;
}

interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

type Metadata = Readonly<Record<string, readonly MetadataEntry[]>>;

/** The parts of a manifest artifact this reader uses (cloud-assembly-schema's `ArtifactManifest`). */
interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
  readonly metadata?: Metadata;
  /** Newer CDK versions move the metadata out of the manifest into this file. */
  readonly additionalMetadataFile?: string;
}

function readJson(directory: string, file: string): unknown {
  const path = join(directory, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cloud assembly ${directory}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`cloud assembly ${directory}: ${file} is not JSON: ${(error as Error).message}`);
  }
}

function stackEnvironment(directory: string, id: string, environment: string | undefined): AssemblyStack['environment'] {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (match === null) throw new Error(`cloud assembly ${directory}: stack ${id} has no environment aws://<account>/<region> (${environment})`);
  return { account: match[1]!, region: match[2]! };
}

function constructPaths(...sources: readonly (Metadata | undefined)[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const metadata of sources) {
    for (const [path, entries] of Object.entries(metadata ?? {})) {
      for (const entry of entries) {
        if (entry.type === LOGICAL_ID_METADATA && typeof entry.data === 'string') paths.set(entry.data, path);
      }
    }
  }
  return paths;
}

function readStack(directory: string, id: string, artifact: ManifestArtifact): AssemblyStack {
  const templateFile = artifact.properties?.templateFile;
  if (templateFile === undefined) throw new Error(`cloud assembly ${directory}: stack ${id} names no templateFile`);
  const extraMetadata = artifact.additionalMetadataFile === undefined ? undefined : (readJson(directory, artifact.additionalMetadataFile) as Metadata);
  return {
    // CDK leaves stackName out when it equals the artifact id.
    stackName: artifact.properties?.stackName ?? id,
    template: readJson(directory, templateFile) as CfnTemplate,
    environment: stackEnvironment(directory, id, artifact.environment),
    constructPaths: constructPaths(artifact.metadata, extraMetadata),
  };
}

const MANIFEST_FILE = 'manifest.json';

function stackArtifacts(directory: string): [string, ManifestArtifact][] {
  const manifest = readJson(directory, MANIFEST_FILE) as { readonly artifacts?: Readonly<Record<string, ManifestArtifact>> };
  return Object.entries(manifest.artifacts ?? {}).filter(([, artifact]) => artifact.type === STACK_ARTIFACT);
}

/** Every stack of the assembly in `directory`, in the manifest's order (CDK writes dependencies first). */
export function readCloudAssembly(directory: string): AssemblyStack[] {
  return stackArtifacts(directory).map(([id, artifact]) => readStack(directory, id, artifact));
}

/**
 * The files `readCloudAssembly` reads, relative to `directory`: the manifest and each stack's
 * template and metadata file. A copy of just these reads back as the same stacks, without the
 * assets (bundled Lambda code, layers) that make up most of a synthesized folder.
 */
export function cloudAssemblyFiles(directory: string): string[] {
  return [
    MANIFEST_FILE,
    ...stackArtifacts(directory).flatMap(([, artifact]) => [artifact.properties?.templateFile ?? [], artifact.additionalMetadataFile ?? []].flat()),
  ];
}
