/**
 * Where the pipeline's notifications go offline: SNS alerts to the console and
 * `.lake/alerts.log`, EventBridge events to `.lake/events.log` (the domains' builds read it),
 * CloudWatch metrics to `.lake/metrics.log` and the console. Each log holds one JSON line per
 * message, and each call answers with the real API's response shape.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject, JsonValue } from '../stepfunctions/json.ts';
import { RequestReader } from './request-fields.ts';

export interface NotificationLogs {
  readonly alertsLog: string;
  readonly eventsLog: string;
  readonly metricsLog: string;
}

function appendLine(file: string, entry: JsonObject): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** SNS takes a string; Step Functions serializes an object message as JSON. */
function messageText(message: JsonValue): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function parsedMessage(message: JsonValue): JsonValue {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message) as JsonValue;
  } catch {
    return message;
  }
}

/** An EventBridge event as AWS services emit it. */
export interface AwsServiceEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  /** ISO-8601 UTC. */
  readonly time: string;
  readonly detail: JsonObject;
}

export class LocalNotifications {
  constructor(
    private readonly logs: NotificationLogs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `say` tells people what was sent, beside the log line. */
  async publish(request: JsonValue, say: (line: string) => void): Promise<JsonObject> {
    const reader = new RequestReader('SNS.InvalidParameterException', 'Publish');
    const topicArn = reader.string(request, 'TopicArn');
    const subject = reader.optionalString(request, 'Subject');
    const message = (request as JsonObject)['Message'];
    if (message === undefined) throw reader.invalid('Message is required');
    const messageId = randomUUID();
    appendLine(this.logs.alertsLog, {
      at: this.now().toISOString(),
      topicArn,
      ...(subject === undefined ? {} : { subject }),
      message: parsedMessage(message),
      messageId,
    });
    say(`⚠ alert to ${topicArn.slice(topicArn.lastIndexOf(':') + 1)}: ${subject ?? messageText(message)} (logged in ${this.logs.alertsLog})`);
    return { MessageId: messageId };
  }

  async putEvents(request: JsonValue, say: (line: string) => void): Promise<JsonObject> {
    const reader = new RequestReader('EventBridge.ValidationException', 'PutEvents');
    const entries = reader.array(request, 'Entries');
    const ids = entries.map((entry) => {
      const source = reader.string(entry, 'Source');
      const detailType = reader.string(entry, 'DetailType');
      const detail = (entry as JsonObject)['Detail'];
      const eventId = randomUUID();
      this.logEvent({
        time: this.now().toISOString(),
        id: eventId,
        source,
        detailType,
        eventBusName: reader.optionalString(entry, 'EventBusName') ?? 'default',
        detail: detail === undefined ? {} : parsedMessage(detail),
      });
      say(`→ event ${detailType} from ${source} (logged in ${this.logs.eventsLog})`);
      return { EventId: eventId };
    });
    return { Entries: ids, FailedEntryCount: 0 };
  }

  /**
   * An event an AWS service puts on the default bus itself rather than through PutEvents
   * (SageMaker's Model Package State Change), logged as a PutEvents entry is, with its own id and time.
   */
  recordServiceEvent(event: AwsServiceEvent): void {
    this.logEvent({ time: event.time, id: event.id, source: event.source, detailType: event['detail-type'], eventBusName: 'default', detail: event.detail });
  }

  /** One line of `events.log`: the one shape every reader of the log parses. */
  private logEvent(line: { time: string; id: string; source: string; detailType: string; eventBusName: string; detail: JsonValue }): void {
    appendLine(this.logs.eventsLog, line);
  }

  async putMetricData(request: JsonValue, say: (line: string) => void): Promise<JsonObject> {
    const reader = new RequestReader('CloudWatch.InvalidParameterValueException', 'PutMetricData');
    const namespace = reader.string(request, 'Namespace');
    const metrics = reader.array(request, 'MetricData');
    for (const metric of metrics) {
      const name = reader.string(metric, 'MetricName');
      const value = (metric as JsonObject)['Value'];
      const dimensions = ((metric as JsonObject)['Dimensions'] ?? []) as JsonValue[];
      const labels = dimensions.map((dimension) => `${reader.string(dimension, 'Name')}=${reader.string(dimension, 'Value')}`);
      appendLine(this.logs.metricsLog, { at: this.now().toISOString(), namespace, metric });
      say(`· metric ${namespace}/${name} = ${JSON.stringify(value)} (${labels.join(', ')})`);
    }
    return {};
  }
}
