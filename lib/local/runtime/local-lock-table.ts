/**
 * The offline stand-in for the DynamoDB table holding the pipelines' locks: one JSON file per
 * item under the workspace, changed only under an exclusively created mutex file, so conditional
 * writes are atomic across processes and two local runs on one dataset serialize as they do in
 * AWS. It understands the requests the lock states send (PutItem, GetItem, DeleteItem with
 * `attribute_exists`, `attribute_not_exists` and `=` conditions joined by OR) and refuses anything
 * else with DynamoDB's validation error rather than guessing.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOCK_KEY_ATTRIBUTE } from '../../pipeline/lock-item.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { TaskError } from '../stepfunctions/task-error.ts';
import { RequestReader } from './request-fields.ts';

export const CONDITIONAL_CHECK_FAILED = 'DynamoDB.ConditionalCheckFailedException';

/** A mutex older than this was left by a process that died inside one file operation. */
const ABANDONED_MUTEX_MS = 10_000;
const MUTEX_POLL_MS = 5;

type Term =
  | { readonly kind: 'exists' | 'not-exists'; readonly attribute: string }
  | { readonly kind: 'equals'; readonly attribute: string; readonly value: JsonValue };

const EXISTS = /^attribute_(not_)?exists\(\s*([#\w]+)\s*\)$/;
const EQUALS = /^([#\w]+)\s*=\s*(:\w+)$/;

function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export class LocalLockTable {
  constructor(private readonly directory: string) {}

  async putItem(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader('DynamoDB.ValidationException', 'PutItem');
    const item = reader.object(request, 'Item');
    const path = this.itemPath(reader, request, item);
    const condition = this.condition(reader, request);
    return this.locked(path, () => {
      if (!this.holds(condition, this.read(path))) throw new TaskError(CONDITIONAL_CHECK_FAILED, 'The conditional request failed');
      writeFileSync(`${path}.tmp`, JSON.stringify(item));
      renameSync(`${path}.tmp`, path);
      return {};
    });
  }

  async getItem(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader('DynamoDB.ValidationException', 'GetItem');
    const path = this.itemPath(reader, request, reader.object(request, 'Key'));
    const item = this.read(path);
    if (item === undefined) return {};
    const projection = reader.optionalString(request, 'ProjectionExpression');
    if (projection === undefined) return { Item: item };
    const names = reader.optionalObject(request, 'ExpressionAttributeNames') ?? {};
    const attributes = projection.split(',').map((name) => this.attributeName(reader, name.trim(), names));
    return { Item: Object.fromEntries(attributes.filter((name) => name in item).map((name) => [name, item[name]!])) };
  }

  async deleteItem(request: JsonValue): Promise<JsonObject> {
    const reader = new RequestReader('DynamoDB.ValidationException', 'DeleteItem');
    const path = this.itemPath(reader, request, reader.object(request, 'Key'));
    const condition = this.condition(reader, request);
    return this.locked(path, () => {
      if (!this.holds(condition, this.read(path))) throw new TaskError(CONDITIONAL_CHECK_FAILED, 'The conditional request failed');
      rmSync(path, { force: true });
      return {};
    });
  }

  private itemPath(reader: RequestReader, request: JsonValue, keyed: JsonObject): string {
    const table = reader.string(request, 'TableName');
    const key = keyed[LOCK_KEY_ATTRIBUTE];
    const value = key !== null && typeof key === 'object' && !Array.isArray(key) ? key['S'] : undefined;
    if (typeof value !== 'string' || value === '') {
      throw reader.invalid(`the lock table is keyed by the string attribute '${LOCK_KEY_ATTRIBUTE}', got ${JSON.stringify(key) ?? 'nothing'}`);
    }
    const folder = join(this.directory, encodeURIComponent(table));
    mkdirSync(folder, { recursive: true });
    return join(folder, `${encodeURIComponent(value)}.json`);
  }

  private attributeName(reader: RequestReader, token: string, names: JsonObject): string {
    if (!token.startsWith('#')) return token;
    const name = names[token];
    if (typeof name !== 'string') throw reader.invalid(`${token} is not in ExpressionAttributeNames`);
    return name;
  }

  /** The condition as alternatives (OR); an empty list when the request has none. */
  private condition(reader: RequestReader, request: JsonValue): Term[] {
    const expression = reader.optionalString(request, 'ConditionExpression');
    if (expression === undefined) return [];
    const names = reader.optionalObject(request, 'ExpressionAttributeNames') ?? {};
    const values = reader.optionalObject(request, 'ExpressionAttributeValues') ?? {};
    return expression.split(/\s+OR\s+/i).map((text): Term => {
      const term = text.trim();
      const exists = EXISTS.exec(term);
      if (exists !== null) {
        return { kind: exists[1] === undefined ? 'exists' : 'not-exists', attribute: this.attributeName(reader, exists[2]!, names) };
      }
      const equals = EQUALS.exec(term);
      if (equals !== null) {
        const value = values[equals[2]!];
        if (value === undefined) throw reader.invalid(`${equals[2]} is not in ExpressionAttributeValues`);
        return { kind: 'equals', attribute: this.attributeName(reader, equals[1]!, names), value };
      }
      throw reader.invalid(
        `condition '${term}' is not supported offline: use attribute_exists(a), attribute_not_exists(a) or a = :v, joined by OR`,
      );
    });
  }

  private holds(condition: readonly Term[], item: JsonObject | undefined): boolean {
    if (condition.length === 0) return true;
    return condition.some((term) => {
      const present = item !== undefined && term.attribute in item;
      switch (term.kind) {
        case 'exists':
          return present;
        case 'not-exists':
          return !present;
        case 'equals':
          return sameValue(item?.[term.attribute], term.value);
      }
    });
  }

  private read(path: string): JsonObject | undefined {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as JsonObject;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Runs `change` holding the item's mutex: a file only one process can create. */
  private async locked<T>(path: string, change: () => T): Promise<T> {
    const mutex = `${path}.mutex`;
    for (;;) {
      try {
        closeSync(openSync(mutex, 'wx'));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (this.abandoned(mutex)) rmSync(mutex, { force: true });
        else await sleep(MUTEX_POLL_MS);
      }
    }
    try {
      return change();
    } finally {
      unlinkSync(mutex);
    }
  }

  private abandoned(mutex: string): boolean {
    try {
      return Date.now() - statSync(mutex).mtimeMs > ABANDONED_MUTEX_MS;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}
