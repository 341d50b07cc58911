/** A synthesized CloudWatch dashboard read back as its widgets, tokens as placeholders (see template-text.ts). */
import type { Template } from 'aws-cdk-lib/assertions';
import { type Json, templateText } from './template-text.ts';

export interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    /** Each metric line: `[namespace, name, dimension, value, ..., options]` or `[{ expression, label }]`. */
    readonly metrics?: readonly (readonly Json[])[];
    readonly annotations?: { readonly horizontal?: readonly { readonly value: number; readonly label?: string }[] };
  };
}

export interface SynthesizedDashboard {
  readonly name: string;
  readonly widgets: readonly DashboardWidget[];
}

/**
 * A name the CDK takes from an ARN it built (`Fn::Select` of `Fn::Split` on ':'), as an imported
 * Lambda function's name is, read as the text it resolves to.
 */
function resolveSelects(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolveSelects);
  if (value === null || typeof value !== 'object') return value;
  const select = value['Fn::Select'] as [number, { 'Fn::Split': [string, Json] }] | undefined;
  if (select !== undefined && typeof select[1] === 'object' && 'Fn::Split' in select[1]) {
    const [separator, source] = select[1]['Fn::Split'];
    // The partition placeholder holds the separator itself, so it is read as the usual partition.
    const arn = templateText(resolveSelects(source)).replaceAll('<ref:AWS::Partition>', 'aws');
    return arn.split(separator)[select[0]] ?? '<token>';
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolveSelects(inner)]));
}

/** Every dashboard of a template with its widgets. */
export function dashboardsOf(template: Template): SynthesizedDashboard[] {
  const resources = template.findResources('AWS::CloudWatch::Dashboard') as Record<string, { Properties: { DashboardName: Json; DashboardBody: Json } }>;
  return Object.values(resources).map(({ Properties }) => ({
    name: templateText(Properties.DashboardName),
    widgets: (JSON.parse(templateText(resolveSelects(Properties.DashboardBody))) as { widgets: DashboardWidget[] }).widgets,
  }));
}

/** The metric names a widget plots with the dimension values of each, e.g. `ContractLakehouse/FilesValidated Dataset=orders ...`. */
export function plottedMetrics(widget: DashboardWidget): string[] {
  return (widget.properties.metrics ?? [])
    .filter((line) => typeof line[0] === 'string')
    .map((line) => {
      const fields = line.filter((field): field is string => typeof field === 'string');
      const [namespace, name, ...dimensions] = fields;
      const pairs = [];
      for (let i = 0; i + 1 < dimensions.length; i += 2) pairs.push(`${dimensions[i]}=${dimensions[i + 1]}`);
      return [`${namespace}/${name}`, ...pairs].join(' ');
    });
}

/** The widget of a dashboard with this title, if any (titles of graphs are unique on our dashboards). */
export function widgetTitled(dashboard: SynthesizedDashboard, title: string): DashboardWidget | undefined {
  const found = dashboard.widgets.filter((widget) => widget.properties.title === title);
  if (found.length > 1) throw new Error(`dashboard ${dashboard.name} has ${found.length} widgets titled '${title}'`);
  return found[0];
}
