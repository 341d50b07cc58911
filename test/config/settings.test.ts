import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALARM_SETTINGS, DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED, readSettings, SettingsError } from '../../lib/config/settings.ts';

const dev = {
  account: '111111111111',
  region: 'eu-west-1',
  removalPolicy: 'destroy',
  modelApproval: 'auto',
  athenaBytesScannedCutoffPerQuery: 10737418240,
};

function context(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { organization: 'acme', datasetStacksPerDomain: 4, environments: { dev }, ...overrides };
}

function problemsOf(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('readSettings', () => {
  it('reads the shipped cdk.json', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const settings = readSettings(cdkJson.context);
    expect(settings.environments.map((environment) => environment.name)).toEqual(['dev', 'staging', 'prod']);
    expect(settings.domains).toBeUndefined();
  });

  it('reads typed settings, with 30 days of Athena results and a year of access logs when not given', () => {
    expect(readSettings(context())).toEqual({
      organization: 'acme',
      datasetStacksPerDomain: 4,
      environments: [{ name: 'dev', ...dev, athenaResultsRetentionDays: 30, accessLogRetentionDays: 365, alarms: DEFAULT_ALARM_SETTINGS, athenaUsdPerTerabyteScanned: DEFAULT_ATHENA_USD_PER_TERABYTE_SCANNED }],
    });
  });

  it('reads how long Athena results and access logs are kept, in positive whole days', () => {
    const [environment] = readSettings(context({ environments: { dev: { ...dev, athenaResultsRetentionDays: 7, accessLogRetentionDays: 730 } } })).environments;
    expect([environment?.athenaResultsRetentionDays, environment?.accessLogRetentionDays]).toEqual([7, 730]);
    const problems = problemsOf(() =>
      readSettings(
        context({
          environments: {
            dev: { ...dev, athenaResultsRetentionDays: 0, accessLogRetentionDays: 1.5 },
            prod: { ...dev, athenaResultsRetentionDays: '30', accessLogRetentionDays: -365 },
            staging: { ...dev, athenaResultRetentionDays: 30, accessLogsRetentionDays: 365 },
          },
        }),
      ),
    );
    expect(problems).toEqual([
      'cdk.json: context.environments.dev.athenaResultsRetentionDays: must be a whole number of days, at least 1, got 0',
      'cdk.json: context.environments.dev.accessLogRetentionDays: must be a whole number of days, at least 1, got 1.5',
      'cdk.json: context.environments.prod.athenaResultsRetentionDays: must be a whole number of days, at least 1, got "30"',
      'cdk.json: context.environments.prod.accessLogRetentionDays: must be a whole number of days, at least 1, got -365',
      "cdk.json: context.environments.staging.athenaResultRetentionDays: unknown key; did you mean 'athenaResultsRetentionDays'?",
      "cdk.json: context.environments.staging.accessLogsRetentionDays: unknown key; did you mean 'accessLogRetentionDays'?",
    ]);
  });

  it("reads Athena's price per terabyte scanned, 5 USD when not given, and refuses a price that is no positive number or a near-miss of its key", () => {
    const prices = readSettings(context({ environments: { dev, prod: { ...dev, athenaUsdPerTerabyteScanned: 6.25 } } })).environments.map((environment) => environment.athenaUsdPerTerabyteScanned);
    expect(prices).toEqual([5, 6.25]);
    const problems = problemsOf(() =>
      readSettings(
        context({
          environments: {
            dev: { ...dev, athenaUsdPerTerabyteScanned: 0 },
            prod: { ...dev, athenaUsdPerTerabyteScanned: '5' },
            staging: { ...dev, athenaUsdPerTerabyteScaned: 5 },
          },
        }),
      ),
    );
    expect(problems).toEqual([
      'cdk.json: context.environments.dev.athenaUsdPerTerabyteScanned: must be a positive number of US dollars per terabyte scanned, e.g. 5, got 0',
      'cdk.json: context.environments.prod.athenaUsdPerTerabyteScanned: must be a positive number of US dollars per terabyte scanned, e.g. 5, got "5"',
      "cdk.json: context.environments.staging.athenaUsdPerTerabyteScaned: unknown key; did you mean 'athenaUsdPerTerabyteScanned'?",
    ]);
  });

  it('reads the alarm settings over their defaults, and names every bad key', () => {
    const [environment] = readSettings(context({ environments: { dev: { ...dev, alarms: { periodSeconds: 60, rejectedFiles: 3 } } } })).environments;
    expect(environment?.alarms).toEqual({ ...DEFAULT_ALARM_SETTINGS, periodSeconds: 60, rejectedFiles: 3 });
    const problems = problemsOf(() =>
      readSettings(
        context({
          environments: {
            dev: { ...dev, alarms: { periodSeconds: 90, evaluationPeriods: 0, validatorError: 1 } },
            prod: { ...dev, alarms: [1] },
          },
        }),
      ),
    );
    expect(problems).toEqual([
      "cdk.json: context.environments.dev.alarms.validatorError: unknown key; did you mean 'validatorErrors'?",
      "cdk.json: context.environments.dev.alarms.periodSeconds: must be 10, 30 or a multiple of 60 seconds (CloudWatch's periods), got 90",
      'cdk.json: context.environments.dev.alarms.evaluationPeriods: must be a whole number, at least 1, got 0',
      `cdk.json: context.environments.prod.alarms: must be an object with any of ${Object.keys(DEFAULT_ALARM_SETTINGS).join(', ')}, got [1]`,
    ]);
  });

  it('reads the freshness, model-test and bytes-scanned alarm settings, defaulting as documented, and refuses what is no whole number', () => {
    const [defaults, given] = readSettings(
      context({ environments: { dev, prod: { ...dev, alarms: { freshnessCheckMinutes: 5, freshnessGraceSeconds: 3600, bytesScannedBandWidth: 4, modelTestFailures: 2 } } } }),
    ).environments.map((environment) => environment.alarms);
    expect([defaults!.freshnessCheckMinutes, defaults!.freshnessGraceSeconds, defaults!.freshnessCheckErrors, defaults!.bytesScannedBandWidth, defaults!.modelTestFailures]).toEqual([15, 900, 1, 3, 1]);
    expect(given).toEqual({ ...DEFAULT_ALARM_SETTINGS, freshnessCheckMinutes: 5, freshnessGraceSeconds: 3600, bytesScannedBandWidth: 4, modelTestFailures: 2 });
    expect(problemsOf(() => readSettings(context({ environments: { dev: { ...dev, alarms: { freshnessCheckMinutes: 0.5, freshnessGraceSecond: 60 } } } })))).toEqual([
      "cdk.json: context.environments.dev.alarms.freshnessGraceSecond: unknown key; did you mean 'freshnessGraceSeconds'?",
      'cdk.json: context.environments.dev.alarms.freshnessCheckMinutes: must be a whole number, at least 1, got 0.5',
    ]);
  });

  it('reads the bytes-scanned period (an hour by default, a CloudWatch period), a fractional band width and the freshness breaching checks (2 by default)', () => {
    const [defaults, given] = readSettings(
      context({ environments: { dev, prod: { ...dev, alarms: { bytesScannedPeriodSeconds: 1800, bytesScannedBandWidth: 2.5, freshnessBreachingChecks: 3 } } } }),
    ).environments.map((environment) => environment.alarms);
    expect([defaults!.bytesScannedPeriodSeconds, defaults!.freshnessBreachingChecks]).toEqual([3600, 2]);
    expect(given).toEqual({ ...DEFAULT_ALARM_SETTINGS, bytesScannedPeriodSeconds: 1800, bytesScannedBandWidth: 2.5, freshnessBreachingChecks: 3 });
    expect(problemsOf(() => readSettings(context({ environments: { dev: { ...dev, alarms: { bytesScannedPeriodSeconds: 90, bytesScannedBandWidth: 0, freshnessBreachingChecks: 1.5 } } } })))).toEqual([
      "cdk.json: context.environments.dev.alarms.freshnessBreachingChecks: must be a whole number, at least 1, got 1.5",
      "cdk.json: context.environments.dev.alarms.bytesScannedBandWidth: must be a positive number, e.g. 2.5, got 0",
      "cdk.json: context.environments.dev.alarms.bytesScannedPeriodSeconds: must be 10, 30 or a multiple of 60 seconds (CloudWatch's periods), got 90",
    ]);
  });

  it("refuses an alarm whose period × evaluation periods CloudWatch would not accept: over a day under an hour's period, over 7 days otherwise", () => {
    // 59-minute checks, 25 in a row: 88,500 s. 100-hour checks, 2 in a row: 720,000 s. 24 h × 7 is exactly 7 days: accepted.
    expect(problemsOf(() => readSettings(context({ environments: { dev: { ...dev, alarms: { freshnessCheckMinutes: 59, freshnessBreachingChecks: 25 } }, prod: { ...dev, alarms: { freshnessCheckMinutes: 6000 } } } })))).toEqual([
      "cdk.json: context.environments.dev.alarms: freshnessCheckMinutes × 60 × freshnessBreachingChecks is 88500 seconds, more than CloudWatch lets an alarm evaluate (86400 seconds: 1 day for a period under an hour, 7 days otherwise); shorten the period or the count",
      "cdk.json: context.environments.prod.alarms: freshnessCheckMinutes × 60 × freshnessBreachingChecks is 720000 seconds, more than CloudWatch lets an alarm evaluate (604800 seconds: 1 day for a period under an hour, 7 days otherwise); shorten the period or the count",
    ]);
    const [accepted] = readSettings(context({ environments: { dev: { ...dev, alarms: { freshnessCheckMinutes: 1440, freshnessBreachingChecks: 7 } } } })).environments;
    expect(accepted!.alarms.freshnessCheckMinutes).toBe(1440);
    // The freshness check's errors alarm evaluates its period evaluationPeriods times: 30-minute checks, 49 periods.
    expect(problemsOf(() => readSettings(context({ environments: { dev: { ...dev, alarms: { freshnessCheckMinutes: 30, evaluationPeriods: 49 } } } })))).toEqual([
      "cdk.json: context.environments.dev.alarms: freshnessCheckMinutes × 60 × evaluationPeriods is 88200 seconds, more than CloudWatch lets an alarm evaluate (86400 seconds: 1 day for a period under an hour, 7 days otherwise); shorten the period or the count",
    ]);
  });

  it('defaults removal policy to retain and model approval to manual', () => {
    const { removalPolicy: _r, modelApproval: _m, ...bare } = dev;
    const [environment] = readSettings(context({ environments: { dev: bare } })).environments;
    expect(environment?.removalPolicy).toBe('retain');
    expect(environment?.modelApproval).toBe('manual');
  });

  it('falls back to CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION, and prefers cdk.json', () => {
    const { account: _a, region: _r, ...bare } = dev;
    const defaults = { CDK_DEFAULT_ACCOUNT: '999999999999', CDK_DEFAULT_REGION: 'us-east-2' };
    const [fromDefaults] = readSettings(context({ environments: { dev: bare } }), defaults).environments;
    expect([fromDefaults?.account, fromDefaults?.region]).toEqual(['999999999999', 'us-east-2']);
    const [fromCdkJson] = readSettings(context(), defaults).environments;
    expect([fromCdkJson?.account, fromCdkJson?.region]).toEqual(['111111111111', 'eu-west-1']);
  });

  it('reports a missing account and region when no default is set', () => {
    const { account: _a, region: _r, ...bare } = dev;
    expect(problemsOf(() => readSettings(context({ environments: { dev: bare } }), {}))).toEqual([
      'cdk.json: context.environments.dev.account: missing and CDK_DEFAULT_ACCOUNT is not set: give it in cdk.json, e.g. "111111111111"',
      'cdk.json: context.environments.dev.region: missing and CDK_DEFAULT_REGION is not set: give it in cdk.json, e.g. "eu-west-1"',
    ]);
  });

  it('reads -c domains=a,b and -c datasetStacksPerDomain=2 given as strings', () => {
    const settings = readSettings(context({ domains: 'sales, marketing', datasetStacksPerDomain: '2' }));
    expect(settings.domains).toEqual(['sales', 'marketing']);
    expect(settings.datasetStacksPerDomain).toBe(2);
  });

  it('ignores the keys the CDK itself adds to the context', () => {
    const settings = readSettings(
      context({
        '@aws-cdk/core:failSynthOnValidationErrors': true,
        'aws:cdk:enable-path-metadata': true,
        'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a'],
      }),
    );
    expect(settings.organization).toBe('acme');
  });

  it('rejects misspelled keys with a did-you-mean instead of defaulting', () => {
    const { removalPolicy: _r, ...withoutRemovalPolicy } = dev;
    const problems = problemsOf(() =>
      readSettings(context({ organisation: 'x', environments: { dev: { ...withoutRemovalPolicy, removalPolicyy: 'retain' } } })),
    );
    expect(problems).toEqual([
      "cdk.json: context.organisation: unknown key; did you mean 'organization'?",
      "cdk.json: context.environments.dev.removalPolicyy: unknown key; did you mean 'removalPolicy'?",
    ]);
  });

  it('lists every problem at once, each naming cdk.json and the key', () => {
    const problems = problemsOf(() =>
      readSettings({
        organization: 'Acme Corp',
        datasetStacksPerDomain: 0,
        domains: 'sales,Sales,sales',
        environments: {
          dev: { ...dev, account: '1234', region: 'Ireland', removalPolicy: 'delete', modelApproval: 'yes' },
          prod: { ...dev, athenaBytesScannedCutoffPerQuery: 1000 },
          Staging: 'none',
        },
      }),
    );
    expect(problems).toEqual([
      'cdk.json: context.organization: must be lowercase letters and digits starting with a letter, got "Acme Corp"',
      'cdk.json: context.datasetStacksPerDomain: must be a whole number from 1 to 50, got 0',
      'cdk.json: context.environments.dev.account: must look like "111111111111", got "1234"',
      'cdk.json: context.environments.dev.region: must look like "eu-west-1", got "Ireland"',
      "cdk.json: context.environments.dev.removalPolicy: must be one of 'retain', 'destroy', got \"delete\"",
      "cdk.json: context.environments.dev.modelApproval: must be one of 'auto', 'manual', got \"yes\"",
      'cdk.json: context.environments.prod.athenaBytesScannedCutoffPerQuery: must be a whole number of bytes, at least 10000000, got 1000',
      'cdk.json: context.environments.Staging: environment names must be lowercase letters and digits starting with a letter',
      'cdk.json: context.environments.Staging: must be an object with account, region, removalPolicy, modelApproval, athenaBytesScannedCutoffPerQuery, pipelineBytesScannedCutoffPerQuery, athenaResultsRetentionDays, accessLogRetentionDays, alarms, athenaUsdPerTerabyteScanned, got "none"',
      "cdk.json: context.domains: 'Sales' is not a domain name (lowercase letters, digits and _, starting with a letter)",
      "cdk.json: context.domains: 'sales' is listed twice",
    ]);
  });

  it('requires organization, dataset stacks per domain, environments and the Athena cutoff', () => {
    const { athenaBytesScannedCutoffPerQuery: _c, ...withoutCutoff } = dev;
    expect(problemsOf(() => readSettings({}))).toEqual([
      'cdk.json: context.organization: missing: the prefix of every physical name, e.g. "acme"',
      'cdk.json: context.datasetStacksPerDomain: missing: how many dataset stacks each domain is spread over, e.g. 4',
      'cdk.json: context.environments: missing: at least one environment, e.g. "dev": { "account": ..., "region": ... }',
    ]);
    expect(problemsOf(() => readSettings(context({ environments: { dev: withoutCutoff } })))).toEqual([
      'cdk.json: context.environments.dev.athenaBytesScannedCutoffPerQuery: missing: the most bytes one Athena query may scan, e.g. 10737418240 (10 GiB)',
    ]);
  });

  it('leaves the pipeline workgroup without a cutoff unless one is given, and checks one that is', () => {
    const [unlimited] = readSettings(context()).environments;
    expect(unlimited).not.toHaveProperty('pipelineBytesScannedCutoffPerQuery');
    const [bounded] = readSettings(context({ environments: { dev: { ...dev, pipelineBytesScannedCutoffPerQuery: 1_099_511_627_776 } } })).environments;
    expect(bounded?.pipelineBytesScannedCutoffPerQuery).toBe(1_099_511_627_776);
    expect(problemsOf(() => readSettings(context({ environments: { dev: { ...dev, pipelineBytesScannedCutoffPerQuery: '1TB' } } })))).toEqual([
      'cdk.json: context.environments.dev.pipelineBytesScannedCutoffPerQuery: must be a whole number of bytes, at least 10000000, got "1TB"',
    ]);
  });

  it('rejects an environment whose bucket names S3 would refuse', () => {
    const problems = problemsOf(() =>
      readSettings(context({ organization: 'averyverylongorganization', environments: { preproduction: dev } })),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^cdk\.json: context\.environments\.preproduction: bucket name .* over S3's limit of 63/);
  });

  it('rejects an empty domain selection and a malformed environments value', () => {
    expect(problemsOf(() => readSettings(context({ domains: '', environments: [] })))).toEqual([
      'cdk.json: context.environments: must be an object of environment name to settings, got []',
      'cdk.json: context.domains: must be a comma-separated list of domain names, e.g. "sales,marketing", got ""',
    ]);
  });

  it('says how many problems there are and where, in the error message', () => {
    expect(() => readSettings(context({ datasetStacksPerDomain: 'four' }))).toThrow(
      /^1 problem in cdk\.json context:\n {2}cdk\.json: context\.datasetStacksPerDomain: must be a whole number from 1 to 50, got "four"$/,
    );
  });
});
