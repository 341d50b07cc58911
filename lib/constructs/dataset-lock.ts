import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Dataset } from '../contracts/model.ts';
import { LOCK_KEY_ATTRIBUTE, tableLockKey } from '../pipeline/lock-item.ts';

/**
 * The locks that keep loads into one table from running concurrently (DESIGN.md "One writer per
 * table"): one item per silver table (`tableLockKey`), held by the execution ARN of the pipeline
 * loading it. An item outlives a crashed execution, so a pipeline that finds the lock taken asks
 * Step Functions whether its holder still runs and takes the lock over when it does not; no clock
 * or lease is needed, and a long load never loses its lock to a timer.
 *
 * The table holds nothing but these items, so it is destroyed with its stack.
 */
export class DatasetLockTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: LOCK_KEY_ATTRIBUTE, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Reading, putting and deleting the one item of the table `dataset` writes, and no other. */
  lockStatement(dataset: Pick<Dataset, 'domain' | 'names'>): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'HoldDatasetLock',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [this.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [tableLockKey(dataset)] } },
    });
  }
}
