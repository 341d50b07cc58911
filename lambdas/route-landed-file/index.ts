/**
 * The domain router's Lambda entry point, bundled next to `routes.json` (its domain's routing
 * table). Deliberately thin: default SDK clients, which take the function role's credentials and
 * region from Lambda's environment, and `AWS_ENDPOINT_URL_*` when a test points them at a local
 * stand-in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { createRouterHandler } from './handler.ts';
import { parseRoutes, readRouterSettings, ROUTES_FILE } from './settings.ts';

const root = process.env['LAMBDA_TASK_ROOT'];
if (!root) throw new Error(`LAMBDA_TASK_ROOT is not set: it names the directory holding ${ROUTES_FILE}`);

export const handler = createRouterHandler({
  ...readRouterSettings(process.env),
  routes: parseRoutes(readFileSync(join(root, ROUTES_FILE), 'utf8')),
  stepFunctions: new SFNClient({}),
  sns: new SNSClient({}),
});
