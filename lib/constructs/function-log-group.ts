import type { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RETAINED } from './retained.ts';

/** How long a function's logs are kept and whether they outlive the stack, as an environment sets them. */
export interface FunctionLogSettings {
  /** @default one year */
  readonly logRetention?: logs.RetentionDays;
  /** @default RETAINED */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The log group Lambda writes a function's logs to, `/aws/lambda/<function name>`, created before
 * the function so the stack sets its retention and keeps it (Lambda would otherwise create it on
 * first invocation, outside the stack, keeping logs forever).
 */
export function functionLogGroup(scope: Construct, id: string, functionName: string, settings: FunctionLogSettings): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: settings.logRetention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: settings.removalPolicy ?? RETAINED,
  });
}
