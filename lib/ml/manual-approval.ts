/**
 * What a manual approval records on a model version: who approved it and why, in the version's
 * approval description (SageMaker's `ApprovalDescription`), the one place SageMaker keeps it.
 */

/** SageMaker's limit on `ApprovalDescription`. */
export const MAX_APPROVAL_DESCRIPTION_LENGTH = 1024;

/** `Approved by <who>: <reason>`, or `Approved by <who>` without a reason. */
export function manualApprovalDescription(who: string, reason: string | undefined): string {
  const why = reason?.trim() ?? '';
  return why === '' ? `Approved by ${who}` : `Approved by ${who}: ${why}`;
}
