import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { enableNagChecks } from '../../lib/nag/nag-checks.ts';
import { buildApp } from './build.ts';
import { catalog, environment, marketingDomain, salesDomain, settings } from './fixtures.ts';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly { readonly ruleName: string; readonly violatingConstructs: readonly { readonly constructPath: string }[] }[];
  }[];
}

const allEnvironments = settings({
  environments: [environment('dev', { removalPolicy: 'destroy' }), environment('staging'), environment('prod')],
});

function appWithNag(failOnFindings: boolean): { app: App; outdir: string; platformOfDev: () => Stack } {
  const outdir = mkdtempSync(join(tmpdir(), 'lakehouse-nag-'));
  const built = buildApp(catalog(salesDomain, marketingDomain), allEnvironments, {
    outdir,
    postCliContext: { '@aws-cdk/core:failSynthOnValidationErrors': failOnFindings },
  });
  enableNagChecks(built.app);
  return { app: built.app, outdir, platformOfDev: () => built.stage('dev').platform };
}

function findings(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
    ),
  );
}

describe('cdk-nag AwsSolutions on the whole App', () => {
  it('finds nothing unacknowledged and no error annotations in any environment', () => {
    const { app, outdir } = appWithNag(true);
    const assembly = app.synth();
    expect(findings(outdir)).toEqual([]);
    const stacks = assembly.stacksRecursively;
    expect(stacks.map((stack) => stack.hierarchicalId)).toContain('prod/SalesDatasets0');
    expect(stacks.flatMap((stack) => stack.messages.filter((message) => message.level === 'error'))).toEqual([]);
  });

  it('reports a deliberately bad construct (canary: the checks are on)', () => {
    const { app, outdir, platformOfDev } = appWithNag(false);
    new s3.Bucket(platformOfDev(), 'CanaryBucket');
    app.synth();
    expect(findings(outdir)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-S1 at dev/Platform/CanaryBucket/Resource',
        'AwsSolutions-S10 at dev/Platform/CanaryBucket/Resource',
      ]),
    );
  });

  it('fails the synth on an unacknowledged finding', () => {
    const { app, platformOfDev } = appWithNag(true);
    new s3.Bucket(platformOfDev(), 'CanaryBucket');
    expect(() => app.synth()).toThrow(
      /dev\/Platform\/CanaryBucket\/Resource[^]*Acknowledge with 'AwsSolutions::AwsSolutions-S10'/,
    );
  });
});
