/**
 * The calls Lambda makes with a function's role besides its code's: its log events into the log
 * group its logging configuration names (`/aws/lambda/<name>` without one), and its trace
 * segments when active tracing is on.
 */
import type { AthenaCatalog } from './athena-on-behalf.ts';
import type { Call } from './call.ts';
import type { SynthesizedResource } from './synthesized-app.ts';

export function lambdaTelemetryCalls(catalog: AthenaCatalog, fn: SynthesizedResource): Call[] {
  const { partition, region, account } = catalog;
  // Only these: a layer's ARN is read from SSM at deploy time and has no value here.
  const [name, logging, tracing] = ['FunctionName', 'LoggingConfig', 'TracingConfig'].map((property) => fn.resolve(fn.raw.Properties?.[property] ?? null));
  const properties = { FunctionName: name, LoggingConfig: logging, TracingConfig: tracing } as {
    FunctionName?: string;
    LoggingConfig?: { LogGroup?: string } | null;
    TracingConfig?: { Mode?: string } | null;
  };
  const logGroup = properties.LoggingConfig?.LogGroup ?? `/aws/lambda/${properties.FunctionName ?? fn.logicalId}`;
  const stream = `arn:${partition}:logs:${region}:${account}:log-group:${logGroup}:log-stream:2026/11/21/[$LATEST]0123456789abcdef`;
  return [
    ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({ action, resource: stream, why: `Lambda writes ${fn.logicalId}'s logs` })),
    ...(properties.TracingConfig?.Mode === 'Active'
      ? ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'].map((action) => ({ action, resource: '*', why: `Lambda traces ${fn.logicalId}` }))
      : []),
  ];
}
