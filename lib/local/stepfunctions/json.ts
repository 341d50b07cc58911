/** JSON as Step Functions passes it between states (mutable, as `aws-local-stepfunctions` types it). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}
