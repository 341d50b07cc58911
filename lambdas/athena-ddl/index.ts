/**
 * The Athena DDL provider's Lambda entry point. Deliberately thin: default SDK clients, which take
 * the function role's credentials and region from Lambda's environment, and `AWS_ENDPOINT_URL_*`
 * when a test points them at a local stand-in.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GlueClient } from '@aws-sdk/client-glue';
import { createAthenaDdlHandler } from './handler.ts';

export const handler = createAthenaDdlHandler({
  athena: new AthenaClient({}),
  glue: new GlueClient({}),
  cloudFormation: new CloudFormationClient({}),
});
