import { describe, expect, it } from 'vitest';
import { modelPackageGroupName, modelPackageGroupNameProblem } from '../../lib/config/names.ts';

const dev = { organization: 'acme', environment: 'dev' };

describe('the Model Package Group name of an ML model', () => {
  it('is <org>-<env>-<domain>-<model>, with hyphens for the underscores SageMaker refuses', () => {
    expect(modelPackageGroupName(dev, 'marketing', 'churn')).toBe('acme-dev-marketing-churn');
    expect(modelPackageGroupName(dev, 'sales_eu', 'repeat_buyer')).toBe('acme-dev-sales-eu-repeat-buyer');
  });

  it('fits SageMaker: at most 63 characters, starting and ending with a letter or digit', () => {
    const fits = 'a'.repeat(63 - 'acme-dev-marketing-'.length);
    expect(modelPackageGroupNameProblem(dev, 'marketing', fits)).toBeUndefined();
    expect(modelPackageGroupNameProblem(dev, 'marketing', `${fits}a`)).toMatch(/would be 64 characters, over the limit of 63/);
    expect(modelPackageGroupNameProblem(dev, 'marketing', 'churn_')).toMatch(/is not one SageMaker accepts/);
    expect(() => modelPackageGroupName(dev, 'marketing', `${fits}a`)).toThrow(/ML model 'marketing\/a+': its SageMaker Model Package Group name/);
  });
});
