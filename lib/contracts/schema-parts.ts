/**
 * Building blocks shared by the contract and domain JSON Schemas. A `description` next to a
 * `pattern` is what a user reads when the pattern does not match.
 */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** An object that rejects keys it does not list (ODCS does the same). */
export function strictObject(properties: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const anything: JsonSchema = {};
/** A field ODCS defines that the lakehouse refuses: no value matches, and the description says why. */
export const unsupported: JsonSchema = { not: {}, description: 'defined by ODCS, not supported by the lakehouse' };
export const text: JsonSchema = { type: 'string' };
export const flag: JsonSchema = { type: 'boolean' };
export const textList: JsonSchema = { type: 'array', items: text };

export const identifier: JsonSchema = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]*$',
  description: 'a lowercase snake_case name (a-z, 0-9 and _, starting with a letter)',
};

/** ODCS `StableId`. */
export const stableId: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'an id of letters, digits, _ and -',
};

export const email: JsonSchema = {
  type: 'string',
  pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  description: 'an email address',
};
