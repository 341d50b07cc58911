import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { ZonePrefix } from '../../lib/constructs/zone-prefix.ts';

const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
const resolved = (statement: iam.PolicyStatement): Record<string, unknown> => stack.resolve(statement.toStatementJson());
const arn = (resource: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${resource}`]] });

describe('ZonePrefix', () => {
  const silver = new ZonePrefix('acme-dev-silver', 'sales/orders/');
  const results = new ZonePrefix('acme-dev-athena-results', 'sales/');

  it('names the bucket, the objects under the prefix, and the listing pattern', () => {
    expect(stack.resolve(silver.bucketArn)).toEqual(arn('acme-dev-silver'));
    expect(stack.resolve(silver.objectsArn)).toEqual(arn('acme-dev-silver/sales/orders/*'));
    expect(silver.listPattern).toBe('sales/orders/*');
  });

  it('grants object actions in one order, whatever the access asked for', () => {
    const actions = (statement: iam.PolicyStatement): unknown => resolved(statement).Action;
    expect(actions(silver.grantObjects('Read', { read: true }))).toBe('s3:GetObject');
    expect(actions(silver.grantObjects('Versions', { readVersionsAndTags: true, read: true }))).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectTagging',
      's3:GetObjectVersionTagging',
    ]);
    expect(actions(silver.grantObjects('Tag', { tag: 'versions' }))).toEqual(['s3:PutObjectTagging', 's3:PutObjectVersionTagging']);
    expect(actions(silver.grantObjects('Write', { tag: 'objects', write: true }))).toEqual(['s3:PutObject', 's3:PutObjectTagging']);
    expect(actions(silver.grantObjects('Athena', { multipartUploads: 'abortAndListParts', delete: true, write: true, read: true }))).toEqual([
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ]);
    expect(actions(silver.grantObjects('Abort', { multipartUploads: 'abort' }))).toBe('s3:AbortMultipartUpload');
  });

  it('grants on several prefixes in one statement, with its conditions', () => {
    const condition = { StringEquals: { 's3:RequestObjectTag/retention': '1y' } };
    expect(resolved(ZonePrefix.grantObjects('Both', [silver, results], { write: true }, condition))).toEqual({
      Sid: 'Both',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: [arn('acme-dev-silver/sales/orders/*'), arn('acme-dev-athena-results/sales/*')],
      Condition: condition,
    });
  });

  it('lists only the prefixes, each bucket and pattern once', () => {
    const gold = new ZonePrefix('acme-dev-silver', 'sales/');
    expect(resolved(ZonePrefix.listObjects('List', [results, silver, gold, results]))).toEqual({
      Sid: 'List',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: [arn('acme-dev-athena-results'), arn('acme-dev-silver')],
      Condition: { StringLike: { 's3:prefix': ['sales/*', 'sales/orders/*'] } },
    });
    expect(resolved(ZonePrefix.locateBuckets('Locate', ['acme-dev-silver', 'acme-dev-athena-results', 'acme-dev-silver']))).toEqual({
      Sid: 'Locate',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: [arn('acme-dev-silver'), arn('acme-dev-athena-results')],
    });
  });

  it('refuses a prefix that is no whole folder: the grant would reach its siblings', () => {
    expect(() => new ZonePrefix('acme-dev-silver', 'sales')).toThrow(
      "s3://acme-dev-silver/sales: a granted prefix must end with '/', or it reaches every sibling whose name starts the same",
    );
  });

  it('is the one place an S3 ARN is written: no construct or stack assembles one from strings', () => {
    const handBuilt = ['lib/constructs', 'lib/stacks']
      .flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file)))
      .filter((file) => file.endsWith('.ts') && file !== join('lib/constructs', 'zone-prefix.ts') && readFileSync(file, 'utf8').includes(':s3:::'));
    expect(handBuilt).toEqual([]);
  });
});
