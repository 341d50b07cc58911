import { describe, expect, it } from 'vitest';
import {
  accessLogPrefix,
  athenaPipelineWorkgroupName,
  athenaResultsPrefix,
  athenaWorkgroupName,
  bucketName,
  bucketNameProblem,
  datasetStackId,
  domainAlertTopicName,
  domainStackId,
  glueDatabaseName,
  kmsKeyAlias,
  pascalCase,
  platformAlarmTopicName,
  platformExportName,
  rawTableName,
  silverTableName,
  validatedPrefix,
  validatedTableName,
  ZONES,
} from '../../lib/config/names.ts';

const dev = { organization: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
const ordersV2 = { domain: 'sales', names: { ref: 'sales/orders', table: 'orders_v2', landingPrefix: 'sales/orders/' } };

describe('physical names', () => {
  it('names every zone bucket <org>-<env>-<zone>-<account>-<region>', () => {
    expect(ZONES.map((zone) => bucketName(dev, zone))).toEqual([
      'acme-dev-landing-111111111111-eu-west-1',
      'acme-dev-validated-111111111111-eu-west-1',
      'acme-dev-quarantine-111111111111-eu-west-1',
      'acme-dev-silver-111111111111-eu-west-1',
      'acme-dev-gold-111111111111-eu-west-1',
      'acme-dev-audit-111111111111-eu-west-1',
      'acme-dev-athena-results-111111111111-eu-west-1',
      'acme-dev-access-logs-111111111111-eu-west-1',
    ]);
  });

  it('refuses bucket names longer than S3 allows, naming what to shorten', () => {
    const long = { ...dev, organization: 'averyverylongorg', environment: 'preproduction', region: 'ap-southeast-3' };
    expect(bucketNameProblem(dev)).toBeUndefined();
    expect(bucketNameProblem(long)).toMatch(/athena-results.*over S3's limit of 63.*'averyverylongorg'.*'preproduction'/);
    expect(() => bucketName(long, 'gold')).toThrow(/over S3's limit of 63/);
  });

  it('derives domain resources from organization, environment and domain', () => {
    expect(glueDatabaseName(dev, 'web_analytics')).toBe('acme_dev_web_analytics');
    expect(athenaWorkgroupName(dev, 'sales')).toBe('acme-dev-sales');
    expect(athenaPipelineWorkgroupName(dev, 'sales')).toBe('acme-dev-sales-pipeline');
    expect(athenaResultsPrefix('sales')).toBe('sales/');
    expect(domainAlertTopicName(dev, 'sales')).toBe('acme-dev-sales-alerts');
    expect(platformAlarmTopicName(dev)).toBe('acme-dev-platform-alarms');
    expect(kmsKeyAlias(dev)).toBe('alias/acme-dev-lakehouse');
    expect(platformExportName(dev, 'KeyArn')).toBe('acme-dev-platform-KeyArn');
    expect(accessLogPrefix('landing')).toBe('landing/');
  });

  it('derives table names and the validated prefix from the dataset table name', () => {
    expect(rawTableName(ordersV2)).toBe('orders_v2_raw');
    expect(validatedTableName(ordersV2)).toBe('orders_v2_validated');
    expect(silverTableName(ordersV2)).toBe('orders_v2');
    expect(validatedPrefix(ordersV2)).toBe('sales/orders_v2/');
  });

  it('derives PascalCase stack ids', () => {
    expect(pascalCase('web_events')).toBe('WebEvents');
    expect(pascalCase('athena-results')).toBe('AthenaResults');
    expect(domainStackId('web_analytics')).toBe('WebAnalytics');
    expect(datasetStackId('sales', 3)).toBe('SalesDatasets3');
  });
});
