import { describe, expect, it } from 'vitest';
import { scheduleExpressionProblem } from '../../lib/ml/schedule-expression.ts';

describe('EventBridge schedule expressions', () => {
  it.each([
    'rate(1 hour)',
    'rate(5 minutes)',
    'rate(2 days)',
    'cron(0 3 * * ? *)',
    'cron(15 10 ? * 6L 2026-2030)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 1,15 JAN-MAR ? *)',
    'cron(0 9 ? * MON-FRI *)',
    'cron(0 12 L * ? *)',
    'cron(0 12 15W * ? *)',
    'cron(0 12 ? * 2#1 *)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['rate(1 hours)', 'a rate of 1 takes the singular unit: rate(1 hour)'],
    ['rate(5 minute)', 'a rate above 1 takes the plural unit: rate(5 minutes)'],
    ['rate(0 minutes)', 'a rate must be at least 1'],
    ['rate(5 weeks)', "'rate(5 weeks)' is not a rate: write rate(<number> <minute|minutes|hour|hours|day|days>)"],
    ['every day', "'every day' is not an EventBridge schedule: write cron(<6 fields>) or rate(<number> <unit>)"],
    ['cron(0 3 * * ?)', 'cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5'],
    ['cron(0 3 * * * *)', 'cron needs ? in exactly one of day-of-month and day-of-week (for example cron(0 3 * * ? *))'],
    ['cron(0 3 ? * ? *)', 'cron needs ? in exactly one of day-of-month and day-of-week (for example cron(0 3 * * ? *))'],
    ['cron(60 3 * * ? *)', "cron minutes: '60' is not a value from 0 to 59"],
    ['cron(0 24 * * ? *)', "cron hours: '24' is not a value from 0 to 23"],
    ['cron(0 3 * 13 ? *)', "cron month: '13' is not a value from 1 to 12 or JAN-DEC"],
    ['cron(0 3 ? * FUN *)', "cron day-of-week: 'FUN' is not a value from 1 to 7 or SUN-SAT"],
    ['cron(0 3 * * ? 1969)', "cron year: '1969' is not a value from 1970 to 2199"],
    ['cron(? 3 * * ? *)', 'cron minutes: ? is only for day-of-month or day-of-week'],
    ['cron(0/x 3 * * ? *)', "cron minutes: '0/x' has a step that is not a whole number"],
  ])('refuses %s: %s', (expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toBe(problem);
  });
});
