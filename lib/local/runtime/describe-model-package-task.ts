/**
 * SageMaker's DescribeModelPackage offline, answered from the workspace's local model registry in
 * the response's shape (the parts promotion reads: the version, its approval and its inference
 * container). A version the registry does not have fails the Task with SageMaker's validation error.
 */
import { ModelVersionNotFoundError, type ModelRegistry } from '../../ml/model-registry.ts';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { RequestReader } from './request-fields.ts';
import { SAGEMAKER_VALIDATION } from './local-sagemaker-models.ts';

/** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
const VERSION_ARN = /^arn:[^:]+:sagemaker:[^:]+:[^:]+:model-package\/([^/]+)\/([1-9][0-9]*)$/;

export function describeModelPackageTask(registry: ModelRegistry): (request: JsonValue) => Promise<JsonObject> {
  return async (request) => {
    const reader = new RequestReader(SAGEMAKER_VALIDATION, 'DescribeModelPackage');
    const name = reader.string(request, 'ModelPackageName');
    const match = VERSION_ARN.exec(name);
    if (match === null) throw reader.invalid(`ModelPackageName '${name}' is not the ARN of a versioned model package`);
    try {
      const version = await registry.describeVersion(match[1]!, Number(match[2]));
      return {
        ModelPackageName: version.group,
        ModelPackageGroupName: version.group,
        ModelPackageVersion: version.version,
        ModelPackageArn: version.arn,
        ModelPackageStatus: version.status,
        ModelApprovalStatus: version.approval,
        CreationTime: version.createdAt,
        InferenceSpecification: { Containers: [{ Image: version.image, ModelDataUrl: version.artifact }] },
      };
    } catch (error) {
      if (error instanceof ModelVersionNotFoundError) throw reader.invalid(`Model Package ${name} does not exist.`);
      throw error;
    }
  };
}
