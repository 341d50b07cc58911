import { describe, expect, it } from 'vitest';
import { integrationOf, taskHandlersFor, UnsupportedTaskError } from '../../../lib/local/runtime/integrations.ts';
import type { AslDefinition } from '../../../lib/local/stepfunctions/states.ts';

describe('which local service stands in for a Task', () => {
  it('follows the Resource as Step Functions does', () => {
    expect(integrationOf('arn:aws:states:::lambda:invoke')).toBe('lambda:invoke');
    expect(integrationOf('arn:aws:lambda:eu-west-1:111111111111:function:acme-dev-sales-orders-validate')).toBe('lambda:function');
    expect(integrationOf('arn:aws:states:::athena:startQueryExecution.sync')).toBe('athena:startQueryExecution.sync');
    expect(integrationOf('arn:aws-cn:states:::dynamodb:putItem')).toBe('dynamodb:putItem');
    expect(integrationOf('arn:aws:states:::aws-sdk:cloudwatch:putMetricData')).toBe('cloudwatch:putMetricData');
    expect(integrationOf('arn:aws:states:::aws-sdk:sfn:describeExecution')).toBe('sfn:describeExecution');
    expect(integrationOf('arn:aws:states:::athena:startQueryExecution')).toBeUndefined();
    expect(integrationOf('arn:aws:states:::sqs:sendMessage')).toBeUndefined();
  });

  const definition = {
    StartAt: 'Notify',
    States: {
      Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Each' },
      Each: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Queue', States: { Queue: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } },
        End: true,
      },
    },
  } as unknown as AslDefinition;

  it('builds a handler for every Task, nested ones included, and lets a wrapper see each', async () => {
    const wrapped: string[] = [];
    const handlers = taskHandlersFor(
      { StartAt: 'Notify', States: { Notify: (definition.States as Record<string, unknown>)['Notify'] } } as unknown as AslDefinition,
      { 'sns:publish': (state) => async () => ({ state: state.name }) },
      (state, handler) => {
        wrapped.push(state);
        return handler;
      },
    );
    expect(Object.keys(handlers)).toEqual(['Notify']);
    await expect(handlers['Notify']!({})).resolves.toEqual({ state: 'Notify' });
    expect(wrapped).toEqual(['Notify']);
  });

  it('names every Task without a local stand-in before anything runs', () => {
    expect(() => taskHandlersFor(definition, { 'sns:publish': () => async () => ({}) })).toThrow(UnsupportedTaskError);
    expect(() => taskHandlersFor(definition, {})).toThrow(
      /no local stand-in for Task states 'Notify' \(arn:aws:states:::sns:publish\), 'Queue' \(arn:aws:states:::sqs:sendMessage\)/,
    );
  });
});
