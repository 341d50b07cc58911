/**
 * The freshness check's Lambda entry point, bundled next to `freshness-targets.json` (its
 * domain's datasets with an SLA). Deliberately thin: default SDK clients, which take the function
 * role's credentials and region from Lambda's environment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SFNClient } from '@aws-sdk/client-sfn';
import { parseFreshnessCheckConfig } from '../../lib/pipeline/freshness-check.ts';
import { createFreshnessCheckHandler } from './handler.ts';
import { FRESHNESS_TARGETS_FILE, readFreshnessCheckSettings } from './settings.ts';

const root = process.env['LAMBDA_TASK_ROOT'];
if (!root) throw new Error(`LAMBDA_TASK_ROOT is not set: it names the directory holding ${FRESHNESS_TARGETS_FILE}`);

export const handler = createFreshnessCheckHandler({
  ...readFreshnessCheckSettings(process.env),
  config: parseFreshnessCheckConfig(readFileSync(join(root, FRESHNESS_TARGETS_FILE), 'utf8')),
  stepFunctions: new SFNClient({}),
  cloudWatch: new CloudWatchClient({}),
});
