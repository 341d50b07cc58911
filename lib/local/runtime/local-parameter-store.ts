/**
 * SSM Parameter Store's GetParameter and PutParameter offline (what the promotion machine records
 * the environment's current model version in): one file per parameter under the workspace, written
 * whole and renamed into place, so a reader sees the old value or the new one, never half. Errors
 * are SSM's, as Step Functions names them (`Ssm.ParameterNotFoundException`), so the definition's
 * Catch sees what it would in AWS.
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PARAMETER_NOT_FOUND } from '../../ml/promotion-states.ts';
import { writeDurably } from '../durable-file.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

interface StoredParameter {
  readonly Name: string;
  readonly Type: string;
  readonly Value: string;
  readonly Version: number;
  /** ISO-8601 UTC. */
  readonly LastModifiedDate: string;
}

const VALIDATION = 'Ssm.ValidationException';

export class LocalParameterStore {
  constructor(
    private readonly folder: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(name: string): string {
    return join(this.folder, `${encodeURIComponent(name)}.json`);
  }

  /** The parameter named `name`; undefined when it does not exist. */
  read(name: string): StoredParameter | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text) as StoredParameter;
  }

  async getParameter(request: JsonValue): Promise<JsonObject> {
    const name = new RequestReader(VALIDATION, 'GetParameter').string(request, 'Name');
    const parameter = this.read(name);
    if (parameter === undefined) throw new TaskError(PARAMETER_NOT_FOUND, `Parameter ${name} not found.`);
    return { Parameter: { ...parameter } };
  }

  async putParameter(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader(VALIDATION, 'PutParameter');
    const name = reader.string(request, 'Name');
    const value = reader.string(request, 'Value');
    const type = reader.optionalString(request, 'Type') ?? 'String';
    const overwrite = (request as JsonObject)['Overwrite'] === true;
    const existing = this.read(name);
    if (existing !== undefined && !overwrite) {
      throw new TaskError('Ssm.ParameterAlreadyExistsException', `The parameter ${name} already exists. To overwrite this value, set the overwrite option in the request to true.`);
    }
    const stored: StoredParameter = { Name: name, Type: type, Value: value, Version: (existing?.Version ?? 0) + 1, LastModifiedDate: this.now().toISOString() };
    mkdirSync(this.folder, { recursive: true });
    const staged = join(this.folder, `.${randomUUID()}.staged`);
    try {
      writeDurably(staged, JSON.stringify(stored));
      renameSync(staged, this.file(name));
    } finally {
      rmSync(staged, { force: true });
    }
    return { Version: stored.Version, Tier: 'Standard' };
  }
}
