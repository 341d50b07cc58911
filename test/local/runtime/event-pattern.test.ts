import { describe, expect, it } from 'vitest';
import { eventMatches } from '../../../lib/local/runtime/event-pattern.ts';

const event = {
  source: 'aws.sagemaker',
  'detail-type': 'SageMaker Model Package State Change',
  resources: ['arn:aws:sagemaker:eu-west-1:1:model-package/g/1', 'arn:other'],
  detail: { ModelPackageGroupName: 'acme-dev-marketing-churn', ModelApprovalStatus: 'Approved', ModelPackageVersion: 3 },
};

describe('EventBridge content filtering offline', () => {
  it('matches literals, nested fields and any element of an array value', () => {
    expect(eventMatches({ source: ['aws.sagemaker'], detail: { ModelApprovalStatus: ['Rejected', 'Approved'] } }, event)).toBe(true);
    expect(eventMatches({ resources: ['arn:other'] }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelApprovalStatus: ['Rejected'] } }, event)).toBe(false);
    expect(eventMatches({ detail: { Missing: ['x'] } }, event)).toBe(false);
    expect(eventMatches({ nothing: { deeper: ['x'] } }, event)).toBe(false);
  });

  it('applies prefix, suffix, equals-ignore-case, anything-but, exists and numeric filters', () => {
    expect(eventMatches({ detail: { ModelPackageGroupName: [{ prefix: 'acme-dev-' }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelPackageGroupName: [{ suffix: '-churn' }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelApprovalStatus: [{ 'equals-ignore-case': 'APPROVED' }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelApprovalStatus: [{ 'anything-but': ['Rejected', 'PendingManualApproval'] }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelApprovalStatus: [{ 'anything-but': 'Approved' }] } }, event)).toBe(false);
    expect(eventMatches({ detail: { ModelApprovalStatus: [{ 'anything-but': { prefix: 'App' } }] } }, event)).toBe(false);
    expect(eventMatches({ detail: { Reason: [{ exists: false }], ModelApprovalStatus: [{ exists: true }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelPackageVersion: [{ numeric: ['>', 1, '<=', 3] }] } }, event)).toBe(true);
    expect(eventMatches({ detail: { ModelPackageVersion: [{ numeric: ['<', 3] }] } }, event)).toBe(false);
  });

  it('refuses a filter it does not know instead of matching silently', () => {
    expect(() => eventMatches({ source: [{ wildcard: 'aws.*' }] }, event)).toThrow("event pattern filter 'wildcard' is not supported offline");
    expect(() => eventMatches({ source: 'aws.sagemaker' }, event)).toThrow('must be an array or an object');
  });
});
