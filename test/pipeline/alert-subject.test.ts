import { describe, expect, it } from 'vitest';
import { alertSubject, MAX_ALERT_SUBJECT_LENGTH } from '../../lib/pipeline/alert-subject.ts';
import { isSnsSubject } from './sns-subject.ts';

describe('alertSubject', () => {
  it('keeps a subject SNS accepts as it is', () => {
    expect(alertSubject('Pipeline failed: sales/orders')).toBe('Pipeline failed: sales/orders');
    expect(alertSubject(`Build failed: ${'d'.repeat(MAX_ALERT_SUBJECT_LENGTH - 14)}`)).toHaveLength(MAX_ALERT_SUBJECT_LENGTH);
  });

  it('shortens a long subject to 99 characters, ending in ... so the reader turns to the message', () => {
    const subject = alertSubject(`Rows quarantined: ${'customer_relationship_management'.repeat(3)}/${'order_line_item'.repeat(4)}`);
    expect(subject).toHaveLength(MAX_ALERT_SUBJECT_LENGTH);
    expect(subject).toMatch(/^Rows quarantined: customer_relationship_management.*\.\.\.$/);
    expect(isSnsSubject(subject)).toBe(true);
  });

  it('turns line breaks and tabs into spaces and other characters SNS refuses into ?', () => {
    expect(alertSubject('Model test failed:\r\n\tgold.\u00e9t\u00e9\u0007 ')).toBe('Model test failed: gold.?t??');
    expect(isSnsSubject(alertSubject(' \n'.repeat(80) + 'x'.repeat(200)))).toBe(true);
  });
});
