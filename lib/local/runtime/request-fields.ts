/**
 * Reading the request a Task state hands its integration. A request the real service would refuse
 * fails the Task with that service's validation error, so the definition's Catch sees what it
 * would see in AWS.
 */
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a dotted path (`Item.pk.S`), or undefined when any step is missing. */
export function fieldAt(value: JsonValue, path: string): JsonValue | undefined {
  return path.split('.').reduce<JsonValue | undefined>((current, key) => (isJsonObject(current) ? current[key] : undefined), value);
}

/** Fails a Task as `<errorName>` for a request missing something the service requires. */
export class RequestReader {
  constructor(
    private readonly errorName: string,
    private readonly action: string,
  ) {}

  invalid(message: string): TaskError {
    return new TaskError(this.errorName, `${this.action}: ${message}`);
  }

  string(request: JsonValue, path: string): string {
    const value = fieldAt(request, path);
    if (typeof value !== 'string') throw this.invalid(`${path} must be a string, got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
  }

  optionalString(request: JsonValue, path: string): string | undefined {
    return fieldAt(request, path) === undefined ? undefined : this.string(request, path);
  }

  object(request: JsonValue, path: string): JsonObject {
    const value = fieldAt(request, path);
    if (!isJsonObject(value)) throw this.invalid(`${path} must be an object, got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
  }

  optionalObject(request: JsonValue, path: string): JsonObject | undefined {
    return fieldAt(request, path) === undefined ? undefined : this.object(request, path);
  }

  array(request: JsonValue, path: string): JsonValue[] {
    const value = fieldAt(request, path);
    if (!Array.isArray(value)) throw this.invalid(`${path} must be a list, got ${JSON.stringify(value) ?? 'nothing'}`);
    return value;
  }
}
