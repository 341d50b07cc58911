/** The account and region a stack deploys to, with the pseudo parameters CloudFormation derives from them. */
export interface AwsEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

/** Marks CDK puts in a stack artifact's environment when the stack is environment-agnostic. */
const UNKNOWN = /^unknown-/;

export function awsEnvironment(stackName: string, environment: { account: string; region: string }): AwsEnvironment {
  const { account, region } = environment;
  if (UNKNOWN.test(account) || UNKNOWN.test(region)) {
    throw new Error(
      `stack ${stackName} is environment-agnostic: give its Stage or Stack an env with account and region, ` +
        'so ARNs and pseudo parameters have local values',
    );
  }
  if (region.startsWith('cn-')) return { account, region, partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { account, region, partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  return { account, region, partition: 'aws', urlSuffix: 'amazonaws.com' };
}
