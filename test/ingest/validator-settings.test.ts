import { describe, expect, it } from 'vitest';
import { readValidatorSettings, validatorEnvironmentVariables } from '../../lib/ingest/validator-settings.ts';

const settings = {
  environment: 'dev',
  buckets: { landing: 'l-bucket', validated: 'v-bucket', quarantine: 'q-bucket', audit: 'a-bucket' },
};

describe('validator settings', () => {
  it('reads back what the construct writes', () => {
    const variables = validatorEnvironmentVariables(settings);
    expect(variables).toEqual({
      LAKEHOUSE_ENVIRONMENT: 'dev',
      LANDING_BUCKET: 'l-bucket',
      VALIDATED_BUCKET: 'v-bucket',
      QUARANTINE_BUCKET: 'q-bucket',
      AUDIT_BUCKET: 'a-bucket',
    });
    expect(readValidatorSettings({ ...variables, HOME: '/home/x' })).toEqual(settings);
  });

  it('names every missing or empty variable', () => {
    const { LANDING_BUCKET: _landing, ...rest } = validatorEnvironmentVariables(settings);
    expect(() => readValidatorSettings({ ...rest, AUDIT_BUCKET: '' })).toThrow(
      'the validator needs the environment variables LANDING_BUCKET, AUDIT_BUCKET',
    );
    expect(() => readValidatorSettings({})).toThrow(/LAKEHOUSE_ENVIRONMENT, LANDING_BUCKET, VALIDATED_BUCKET, QUARANTINE_BUCKET, AUDIT_BUCKET/);
  });
});
