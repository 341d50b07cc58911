/**
 * The AWS region a command talks to when it reads from an account (`docs --from`): the one the
 * SDK's default chain finds (AWS_REGION, the profile's `region` in the shared config files, EC2
 * instance metadata), so a region set only in the AWS profile counts; only where the chain finds
 * none, the region `cdk.json` gives the environment.
 */
import { S3Client } from '@aws-sdk/client-s3';

/** The SDK's own words when its chain finds no region. */
const NO_REGION = 'Region is missing';

export async function awsRegionOr(fallback: string): Promise<string> {
  // A client built without a region resolves it through the default chain when asked.
  const probe = new S3Client({});
  try {
    return await probe.config.region();
  } catch (error) {
    if ((error as Error).message === NO_REGION) return fallback;
    throw error;
  } finally {
    probe.destroy();
  }
}
