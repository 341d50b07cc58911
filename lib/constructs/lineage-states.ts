/**
 * The two state shapes every machine writing OpenLineage events uses: a Pass that draws a run's id
 * and notes the day it started, and a Task that writes one event to the audit zone. A failing write
 * is caught and the run goes on where it would have gone: lineage is a record of the work, never a
 * reason to stop it (README "Lineage events").
 */
import type { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { lineageDayFolder, lineageEventKey } from '../ingest/layout.ts';
import type { RunEvent } from '../pipeline/lineage/run-event.ts';
import { RETRY_POLICIES } from '../pipeline/retry-policy.ts';
import { withRetry } from './task-retry.ts';

/** Where a run keeps what its events share: `{ runId, startDay: 'yyyy/mm/dd', shared }`. */
export interface LineageRunPaths {
  readonly run: string;
  readonly runId: string;
  /** The day the run started as its events' keys write it, `yyyy/mm/dd`. */
  readonly startDay: string;
  /** What every event of the run says the same (`startLineageRun`'s `shared`). */
  readonly shared: string;
}

export function lineageRunPaths(run: string): LineageRunPaths {
  return { run, runId: `${run}.runId`, startDay: `${run}.startDay`, shared: `${run}.shared` };
}

/**
 * Draws the run id (a UUID, as OpenLineage requires) or takes the machine's own, splits the
 * execution's start day, and keeps `shared`, the parts every event of the run repeats: written
 * once here and referenced by path from each event, the definition does not carry them once per
 * event (a domain's dataset stacks hold many pipelines, under CloudFormation's 1 MB per template).
 */
export function startLineageRun(
  scope: Construct,
  id: string,
  paths: LineageRunPaths,
  shared: Record<string, unknown>,
  /** A machine whose run already has a UUID passes it, so its events and its own records name the run alike. */
  runId: string = sfn.JsonPath.uuid(),
): sfn.Pass {
  const startDate = sfn.JsonPath.arrayGetItem(sfn.JsonPath.stringSplit(sfn.JsonPath.stringAt('$$.Execution.StartTime'), 'T'), 0);
  const datePart = (index: number): string => sfn.JsonPath.arrayGetItem(sfn.JsonPath.stringSplit(startDate, '-'), index);
  // The key layout's own function, given placeholders, is the template: the folder cannot drift from it.
  const startDay = lineageDayFolder('{}-{}-{}');
  return new sfn.Pass(scope, id, {
    parameters: { runId, startDay: sfn.JsonPath.format(startDay, datePart(0), datePart(1), datePart(2)), shared },
    resultPath: paths.run,
  });
}

/**
 * A part of the run's `shared` (`facets.input`, `datasets.inputs`) where an event takes its value:
 * the path to it, typed as whatever the event expects there, since the state machine puts it in.
 */
export function sharedPart<T>(paths: LineageRunPaths, part: string): T {
  return sfn.JsonPath.objectAt(`${paths.shared}.${part}`) as unknown as T;
}

/** The time an event is written: when its state was entered. */
export const EVENT_TIME = sfn.JsonPath.stringAt('$$.State.EnteredTime');

export interface LineageWriteProps {
  readonly auditBucketName: string;
  /** The job's domain and table, which name its folder of events. */
  readonly domain: string;
  readonly table: string;
  readonly paths: LineageRunPaths;
  /** The event, JSONPath values and all. */
  readonly event: RunEvent;
  readonly callTimeout: Duration;
  /** Where the run goes next, whether the write succeeded or not. */
  readonly next: sfn.IChainable;
  /** Where a failed write's error is kept, for the execution's output. */
  readonly failurePath: string;
}

/** S3 PutObject of one event, retried like a notification, its failure caught into `next`. */
export function writeLineageEvent(scope: Construct, id: string, props: LineageWriteProps): tasks.CallAwsService {
  const { paths } = props;
  // The key layout's own function, given placeholders (the day folder is the run's `startDay`), is the template.
  const template = lineageEventKey(props.domain, props.table, { startDate: '{}', runId: '{}', eventType: props.event.eventType });
  const task = withRetry(
    new tasks.CallAwsService(scope, id, {
      service: 's3',
      action: 'putObject',
      parameters: {
        Bucket: props.auditBucketName,
        Key: sfn.JsonPath.format(template, sfn.JsonPath.stringAt(paths.startDay), sfn.JsonPath.stringAt(paths.runId)),
        Body: props.event,
        ContentType: 'application/json',
      },
      // The roles' policies are written out in full: PutObject under the job's lineage prefix only.
      iamResources: ['*'],
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.callTimeout),
    }),
    RETRY_POLICIES.notification,
  );
  task.addCatch(props.next, { resultPath: props.failurePath });
  task.next(props.next);
  return task;
}
