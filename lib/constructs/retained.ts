import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * How the lakehouse keeps what holds data or history (buckets, keys, log groups, tables, layer
 * versions): kept when its stack is updated or deleted, deleted when the stack operation that
 * created it rolls back (CloudFormation `DeletionPolicy: RetainExceptOnCreate`, `UpdateReplacePolicy:
 * Retain`). A plain `Retain` also holds on a failed first create, and every retry then fails on
 * "already exists" for the named resources it left behind; a resource that was never in service
 * holds nothing worth keeping.
 */
export const RETAINED = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
