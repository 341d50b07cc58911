/**
 * Which pipeline a landed file goes to. One EventBridge rule per domain sends every "Object
 * Created" event under `<domain>/` to the domain's router, which starts the dataset's state
 * machine. Pure: the router function performs what this decides.
 */
import { deliveryFileId } from './delivery-file-id.ts';
import type { LandedFileEvent } from './landed-file-event.ts';
import { type LandingKey, parseLandingKey } from './layout.ts';

/** The fields of EventBridge's S3 "Object Created" event the router reads. */
export interface ObjectCreated {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly etag?: string;
  /** The event's `time`: the file's ingest time. */
  readonly eventTime: string;
}

/** The domain's routing table, built at synth: dataset name -> its pipeline state machine's name. */
export interface DomainRoutes {
  readonly domain: string;
  readonly pipelines: Readonly<Record<string, string>>;
}

export type RouteDecision =
  | {
      readonly kind: 'start';
      readonly dataset: string;
      readonly stateMachineName: string;
      /** Derived from the file id, so a duplicated event cannot start a second execution. */
      readonly executionName: string;
      readonly input: LandedFileEvent;
    }
  /** Not a file: a "folder" placeholder key that consoles create. */
  | { readonly kind: 'ignore'; readonly reason: string }
  /** A file no pipeline takes: the domain is alerted, and the event is not retried. */
  | { readonly kind: 'unroutable'; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks an EventBridge event's shape, naming what is missing. */
export function parseObjectCreated(event: unknown): ObjectCreated {
  const detail = isRecord(event) ? event['detail'] : undefined;
  const bucket = isRecord(detail) && isRecord(detail['bucket']) ? detail['bucket']['name'] : undefined;
  const object = isRecord(detail) ? detail['object'] : undefined;
  const key = isRecord(object) ? object['key'] : undefined;
  const versionId = isRecord(object) ? object['version-id'] : undefined;
  const etag = isRecord(object) ? object['etag'] : undefined;
  const eventTime = isRecord(event) ? event['time'] : undefined;
  const problems = [
    ...(typeof bucket === 'string' && bucket !== '' ? [] : ['detail.bucket.name']),
    ...(typeof key === 'string' && key !== '' ? [] : ['detail.object.key']),
    ...(typeof eventTime === 'string' && !Number.isNaN(Date.parse(eventTime)) ? [] : ['time']),
  ];
  if (problems.length > 0) {
    throw new Error(`not an S3 "Object Created" event (missing or invalid ${problems.join(', ')}): ${JSON.stringify(event)}`);
  }
  return {
    bucket: bucket as string,
    key: key as string,
    ...(typeof versionId === 'string' && versionId !== '' ? { versionId } : {}),
    ...(typeof etag === 'string' && etag !== '' ? { etag } : {}),
    eventTime: eventTime as string,
  };
}

/**
 * The execution name of a delivery: its file id (a hash of bucket, key and version), which
 * Step Functions keeps unique per state machine, so a duplicated event is refused, not run twice.
 */
export function executionNameOf(object: ObjectCreated): string {
  return `file-${deliveryFileId(object)}`;
}

export function routeLandedObject(object: ObjectCreated, routes: DomainRoutes): RouteDecision {
  if (object.key.endsWith('/')) return { kind: 'ignore', reason: `'${object.key}' is a folder placeholder, not a file` };
  let landing: LandingKey;
  try {
    landing = parseLandingKey(object.key);
  } catch (error) {
    return { kind: 'unroutable', reason: (error as Error).message };
  }
  if (landing.domain !== routes.domain) {
    return { kind: 'unroutable', reason: `'${object.key}' belongs to domain '${landing.domain}', but this router serves '${routes.domain}'` };
  }
  const stateMachineName = Object.hasOwn(routes.pipelines, landing.dataset) ? routes.pipelines[landing.dataset] : undefined;
  if (stateMachineName === undefined) {
    const known = Object.keys(routes.pipelines).sort().join(', ') || 'none';
    return {
      kind: 'unroutable',
      reason: `no contract of domain '${routes.domain}' declares dataset '${landing.dataset}' (its datasets: ${known})`,
    };
  }
  return {
    kind: 'start',
    dataset: landing.dataset,
    stateMachineName,
    executionName: executionNameOf(object),
    input: {
      bucket: object.bucket,
      key: object.key,
      ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
      eventTime: object.eventTime,
    },
  };
}

/** The alert for a file no pipeline takes; SNS subjects are at most 100 characters. */
export function unroutableAlert(object: ObjectCreated, routes: DomainRoutes, reason: string): { subject: string; message: string } {
  return {
    subject: `Lakehouse ${routes.domain}: landed file not routed`.slice(0, 100),
    message: [
      `A file landed under the ${routes.domain} domain, but no pipeline will process it.`,
      `File: s3://${object.bucket}/${object.key}${object.versionId === undefined ? '' : ` (version ${object.versionId})`}`,
      `Landed at: ${object.eventTime}`,
      `Reason: ${reason}`,
      'Land files under <domain>/<dataset>/ for a dataset a contract declares, or add the contract and deploy it; then land the file again.',
    ].join('\n'),
  };
}
