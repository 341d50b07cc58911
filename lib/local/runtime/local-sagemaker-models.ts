/**
 * SageMaker's CreateModel offline: a model is a name bound to an inference image and a model
 * artifact, recorded once under the workspace; the local batch transform finds its artifact by the
 * name. As in SageMaker, a name is taken for good: creating it again fails the Task with
 * SageMaker's validation error, whatever it would bind.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDurably } from '../durable-file.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { RequestReader } from './request-fields.ts';

export interface LocalSageMakerModel {
  readonly ModelName: string;
  readonly ModelArn: string;
  readonly Image: string;
  readonly ModelDataUrl: string;
  readonly ExecutionRoleArn: string;
  /** ISO-8601 UTC. */
  readonly CreationTime: string;
}

export const SAGEMAKER_VALIDATION = 'SageMaker.ValidationException';

export class LocalSageMakerModels {
  constructor(
    private readonly folder: string,
    private readonly environment: { readonly account: string; readonly region: string },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(name: string): string {
    return join(this.folder, `${name}.json`);
  }

  /** The model named `name`; undefined when none was created. */
  model(name: string): LocalSageMakerModel | undefined {
    try {
      return JSON.parse(readFileSync(this.file(name), 'utf8')) as LocalSageMakerModel;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async createModel(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader(SAGEMAKER_VALIDATION, 'CreateModel');
    const name = reader.string(request, 'ModelName');
    const arn = `arn:aws:sagemaker:${this.environment.region}:${this.environment.account}:model/${name.toLowerCase()}`;
    const model: LocalSageMakerModel = {
      ModelName: name,
      ModelArn: arn,
      Image: reader.string(request, 'PrimaryContainer.Image'),
      ModelDataUrl: reader.string(request, 'PrimaryContainer.ModelDataUrl'),
      ExecutionRoleArn: reader.string(request, 'ExecutionRoleArn'),
      CreationTime: this.now().toISOString(),
    };
    mkdirSync(this.folder, { recursive: true });
    const staged = join(this.folder, `.${randomUUID()}.staged`);
    try {
      writeDurably(staged, JSON.stringify(model));
      // A link fails on a taken name: two creations at once cannot both succeed.
      linkSync(staged, this.file(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw reader.invalid(`Cannot create already existing model "${arn}".`);
      throw error;
    } finally {
      rmSync(staged, { force: true });
    }
    return { ModelArn: arn };
  }
}
