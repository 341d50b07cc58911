/**
 * Which prediction a user names (`models lineage --prediction <key>`): the value of the model's
 * key, or for a key of several columns `col=value,col=value` naming each key column once. Pure.
 */
import type { MlModel } from './model.ts';

/** The key's value per key column, in the spec's key order. */
export type PredictionKey = Readonly<Record<string, string>>;

/** A key text that does not name one prediction of the model; the message says how to write it. */
export class PredictionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredictionKeyError';
  }
}

function syntax(model: Pick<MlModel, 'key'>): string {
  return model.key.length === 1 ? `<${model.key[0]}> or ${model.key[0]}=<value>` : model.key.map((column) => `${column}=<value>`).join(',');
}

/** The key `text` names; `PredictionKeyError` naming the key columns when it names no prediction of `model`. */
export function parsePredictionKey(model: Pick<MlModel, 'id' | 'key'>, text: string): PredictionKey {
  const [only] = model.key;
  if (model.key.length === 1 && only !== undefined) {
    const value = text.startsWith(`${only}=`) ? text.slice(only.length + 1) : text;
    if (value === '') throw new PredictionKeyError(`--prediction: an empty key; ${model.id}'s key is ${syntax(model)}`);
    return { [only]: value };
  }
  const values = new Map<string, string>();
  for (const pair of text.split(',')) {
    const equals = pair.indexOf('=');
    const column = equals < 0 ? pair : pair.slice(0, equals);
    if (equals < 0 || !model.key.includes(column)) {
      throw new PredictionKeyError(`--prediction: '${pair}' is no key column; ${model.id}'s key is ${syntax(model)}`);
    }
    if (values.has(column)) throw new PredictionKeyError(`--prediction: ${column} is given twice; ${model.id}'s key is ${syntax(model)}`);
    values.set(column, pair.slice(equals + 1));
  }
  const missing = model.key.filter((column) => !values.has(column));
  if (missing.length > 0) throw new PredictionKeyError(`--prediction: no value for ${missing.join(', ')}; ${model.id}'s key is ${syntax(model)}`);
  return Object.fromEntries(model.key.map((column) => [column, values.get(column)!]));
}
