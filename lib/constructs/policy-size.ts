import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** IAM's quotas on a role's policies (IAM and AWS STS quotas), which fail a deployment, not a synth. */
export const IAM_POLICY_LIMITS = {
  /** Bytes of all of a role's inline policies together, whitespace not counted. */
  inlineBytesPerRole: 10_240,
  /** Bytes of one customer managed policy, whitespace not counted. */
  managedPolicyBytes: 6_144,
  /** Managed policies attached to one role: the default quota (a quota increase allows 20). */
  managedPoliciesPerRole: 10,
} as const;

/** `{"Version":"2012-10-17","Statement":[` ... `]}` around the statements. */
const DOCUMENT_OVERHEAD = 40;

/**
 * The bytes IAM will count for these statements, from above: tokens are measured as the
 * CloudFormation intrinsics they synthesize to (`{"Fn::Join":...}`, `{"Fn::ImportValue":...}`),
 * which are longer than the names and ARNs they resolve to, and a synth cannot know those.
 */
export function policyBytes(scope: Construct, statements: readonly iam.PolicyStatement[]): number {
  const stack = Stack.of(scope);
  const body = statements.map((statement) => JSON.stringify(stack.resolve(statement.toStatementJson())).length);
  return DOCUMENT_OVERHEAD + body.reduce((sum, bytes) => sum + bytes, 0) + Math.max(0, statements.length - 1);
}

/** Throws when a role's inline policy would pass IAM's limit, saying what to do instead. */
export function checkInlinePolicy(scope: Construct, what: string, statements: readonly iam.PolicyStatement[], fix: string): void {
  const bytes = policyBytes(scope, statements);
  if (bytes > IAM_POLICY_LIMITS.inlineBytesPerRole) {
    throw new Error(
      `${what}: its inline policy would take up to ${bytes} bytes, over IAM's ${IAM_POLICY_LIMITS.inlineBytesPerRole} per role, ` +
        `and the deployment would fail; ${fix}`,
    );
  }
}

/**
 * Statements packed in order into as few documents as hold them under `limit` bytes each
 * (first fit, so each statement lands where it was packed on the next synth too, as long as the
 * statements before it do not change). A statement larger than a document on its own throws.
 */
export function packStatements(scope: Construct, statements: readonly iam.PolicyStatement[], limit: number): iam.PolicyStatement[][] {
  const documents: { statements: iam.PolicyStatement[]; bytes: number }[] = [];
  for (const statement of statements) {
    const bytes = policyBytes(scope, [statement]) - DOCUMENT_OVERHEAD;
    if (DOCUMENT_OVERHEAD + bytes > limit) {
      throw new Error(`policy statement ${statement.sid ?? '(no sid)'} alone takes up to ${bytes} bytes, over the ${limit} of one policy`);
    }
    const fits = documents.find((document) => document.bytes + 1 + bytes <= limit);
    if (fits === undefined) documents.push({ statements: [statement], bytes: DOCUMENT_OVERHEAD + bytes });
    else {
      fits.statements.push(statement);
      fits.bytes += 1 + bytes;
    }
  }
  return documents.map((document) => document.statements);
}

/** A managed policy attached to a role, and the statements it holds. */
export interface AttachedGrant {
  readonly policy: iam.ManagedPolicy;
  readonly statements: readonly iam.PolicyStatement[];
}

/**
 * Customer managed policies of at most `IAM_POLICY_LIMITS.managedPolicyBytes` each, attached to
 * `role`, holding the statements that grow with what the role serves (one per model, one per
 * input). Throws, naming the fix, when the role would need more than IAM attaches by default.
 */
export function attachGrowingStatements(
  scope: Construct,
  options: { role: iam.Role; what: string; statements: readonly iam.PolicyStatement[]; description: string; fix: string },
): AttachedGrant[] {
  const documents = packStatements(scope, options.statements, IAM_POLICY_LIMITS.managedPolicyBytes);
  if (documents.length > IAM_POLICY_LIMITS.managedPoliciesPerRole) {
    throw new Error(
      `${options.what}: its grants need ${documents.length} managed policies of up to ${IAM_POLICY_LIMITS.managedPolicyBytes} bytes, ` +
        `over the ${IAM_POLICY_LIMITS.managedPoliciesPerRole} IAM attaches to a role by default, and the deployment would fail; ${options.fix}`,
    );
  }
  return documents.map((statements, index) => ({
    statements,
    policy: new iam.ManagedPolicy(scope, `Grants${index + 1}`, {
      description: `${options.description} (${index + 1} of ${documents.length})`,
      document: new iam.PolicyDocument({ statements }),
      roles: [options.role],
    }),
  }));
}
