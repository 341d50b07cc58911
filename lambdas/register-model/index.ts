/**
 * The register function's Lambda entry point. Deliberately thin: a default SageMaker client, which
 * takes the function role's credentials and region from Lambda's environment.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerModelRegistry } from '../../lib/ml/sagemaker-registry.ts';
import { createRegisterHandler } from './handler.ts';
import { readRegisterSettings } from './settings.ts';

export const handler = createRegisterHandler(new SageMakerModelRegistry(new SageMakerClient({})), readRegisterSettings(process.env));
