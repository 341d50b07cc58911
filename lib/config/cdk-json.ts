import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The folder has no `cdk.json`: the command was run outside a lakehouse project. */
export class MissingProjectError extends Error {
  constructor(file: string) {
    super(`no cdk.json in ${dirname(file)}: run lakehouse in the project's folder, the one holding cdk.json and contracts/`);
    this.name = 'MissingProjectError';
  }
}

/**
 * The `context` of `cdk.json`, for code that builds the app outside the CDK CLI (the demo, the
 * offline runtime). Under `cdk synth` the CLI passes the same context itself.
 */
export function readCdkJsonContext(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingProjectError(file);
    throw error;
  }
  const parsed = JSON.parse(text) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}
