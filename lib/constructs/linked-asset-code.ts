import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FileAssetPackaging, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { fillOnce, linkTree } from './asset-cache.ts';

/**
 * Lambda code from a prepared directory whose hash is already known: like
 * `lambda.Code.fromAsset(directory, { assetHash })`, except that the directory is staged into
 * the cloud assembly with hard links instead of a copy. Staging still happens (the assembly
 * stays self-contained for a pipeline that publishes assets elsewhere), but the 70 MB DuckDB
 * layer costs no copy and no disk for every App a test or the demo synthesizes.
 */
export class LinkedAssetCode extends lambda.Code {
  readonly isInline = false;
  private readonly directory: string;
  private readonly hash: string;

  /** `hash` must change whenever the directory's contents do; it names the staged asset. */
  constructor(directory: string, hash: string) {
    super();
    if (!existsSync(directory)) throw new Error(`Lambda asset directory ${directory} does not exist`);
    this.directory = directory;
    this.hash = hash;
  }

  bind(scope: Construct): lambda.CodeConfig {
    const stage = Stage.of(scope);
    if (stage === undefined) throw new Error(`${scope.node.path}: Lambda assets must be defined inside an App or Stage`);
    const staged = fillOnce(join(stage.assetOutdir, `asset.${this.hash}`), (staging) => linkTree(this.directory, staging));
    const location = Stack.of(scope).synthesizer.addFileAsset({
      sourceHash: this.hash,
      packaging: FileAssetPackaging.ZIP_DIRECTORY,
      fileName: relative(stage.outdir, staged),
      // Needed only until the function is deployed, as with `lambda.Code.fromAsset`.
      deployTime: true,
    });
    return { s3Location: { bucketName: location.bucketName, objectKey: location.objectKey } };
  }
}
