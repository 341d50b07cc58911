import { readFileSync } from 'node:fs';

/**
 * The `context` of `cdk.json`, for code that builds the app outside the CDK CLI (the demo, the
 * offline runtime). Under `cdk synth` the CLI passes the same context itself.
 */
export function readCdkJsonContext(file: string): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}
